package io.stupiddb.segments.cold;

import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a scan of an archived segment reads its records, against a local sealed segment standing
 * in for the object (the same bytes; {@link IndexFile#of} serves the ranges): whole records in
 * blocks of about the block size, each byte of the record area fetched once by a full scan, at
 * most two transfers at a time (the block needed and the one read ahead), and a cursor that
 * resumes after an id fetches from there, not from the start.
 */
class RecordBlocksTest {
    private static final long BLOCK = 8 * 1024;

    private Path dir;
    private Path segmentFile;
    private List<WrittenDocument> written;
    private final ExecutorService readAhead = Executors.newVirtualThreadPerTaskExecutor();
    /** Ranges fetched, as {from, to}. */
    private final List<long[]> ranges = Collections.synchronizedList(new ArrayList<>());

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @BeforeEach
    void writeASegment() throws IOException {
        dir = Files.createTempDirectory("record-blocks");
        LocalSegment local = LocalSegment.write(dir.resolve("data"), 800, 3);
        segmentFile = local.file();
        written = local.written();
    }

    @AfterEach
    void tearDown() throws IOException {
        readAhead.shutdown();
        TestFiles.deleteRecursively(dir);
    }

    private RemoteSegment remote() throws IOException {
        SegmentInfo info = new LocalSegment(segmentFile, written).info();
        ColdSegment segment = new ColdSegment(info, "k", "s3://b/k", "unused");
        Path index = dir.resolve(info.id() + ColdCache.SUFFIX);
        IndexFile.Extent extent = IndexFile.write(IndexFile.of(segmentFile), info.sizeBytes(), info.documents(), index);
        IndexFile.Source local = IndexFile.of(segmentFile);
        IndexFile.Source counted = (from, to) -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                ranges.add(new long[] {from, to});
                return local.read(from, to);
            } finally {
                inFlight.decrementAndGet();
            }
        };
        return RemoteSegment.open(segment, index, null, counted, extent);
    }

    private List<UUID> scan(RemoteSegment remote, ScanSpec spec) {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = remote.scan(spec, BLOCK, readAhead)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    @Test
    void aFullScanFetchesEachRecordByteOnceInBlocksOfWholeRecordsTwoAtATimeAtMost() throws IOException {
        RemoteSegment remote = remote();
        assertTrue(remote.recordBytes() > 8 * BLOCK, "many blocks: " + remote.recordBytes());
        assertFalse(remote.isWhole(), "large enough to be read by ranges");

        assertEquals(written.stream().map(WrittenDocument::id).toList(), scan(remote, ScanSpec.ALL));

        long fetched = 0;
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        long expectedStart = remote.recordStart(0);
        for (long[] range : sorted) {
            assertEquals(expectedStart, range[0], "blocks are contiguous and start on a record");
            assertTrue(range[1] - range[0] <= BLOCK + 1024, "about one block: " + (range[1] - range[0]));
            fetched += range[1] - range[0];
            expectedStart = range[1];
        }
        assertEquals(remote.recordBytes(), fetched, "every record byte once");
        assertTrue(maxInFlight.get() <= 2, "the block needed and the one read ahead: " + maxInFlight.get());
        remote.close();
    }

    @Test
    void aScanAfterAnIdFetchesFromThatRecordOn() throws IOException {
        RemoteSegment remote = remote();
        UUID after = written.get(700).id();
        assertEquals(
                written.subList(701, 800).stream().map(WrittenDocument::id).toList(),
                scan(remote, ScanSpec.ALL.after(after)));
        long first = ranges.stream().mapToLong(r -> r[0]).min().orElseThrow();
        assertEquals(remote.recordStart(701), first, "nothing before the record after the cursor");
        remote.close();
    }
}
