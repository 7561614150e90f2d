package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The active segment read by several scan workers ({@link ParallelActiveCursor}) returns exactly
 * what the one-thread cursor returns: every document of the view, byte for byte and in id order,
 * for whole scans, time ranges, resumed scans and filters, with records of every size (some larger
 * than a read window); a damaged record gives the documents before it and then the same failure;
 * a reader that stops early leaves no chunk reading a closed channel.
 */
class ParallelActiveCursorTest {
    /** Three workers: more chunks in flight than this machine has cores, to shake out ordering. */
    private static final ScanWorkers PARALLEL = new ScanWorkers(
            Executors.newFixedThreadPool(3, r -> {
                Thread t = new Thread(r, "test-active-scan");
                t.setDaemon(true);
                return t;
            }),
            3);

    private Path dir;
    private SegmentHeader header;
    private ActiveSegment active;
    private final List<NewDocument> written = new ArrayList<>();

    @BeforeEach
    void write() throws Exception {
        dir = Files.createTempDirectory("parallel-active");
        Random random = new Random(7);
        TestDocuments generator = new TestDocuments(9000);
        header = SegmentHeader.create("pa-1", 1_000L, Codec.ZSTD, 3, 3, null);
        active = ActiveSegment.create(dir, header, DurabilityMode.NEVER, InstantSource.system());
        for (int batch = 0; batch < 30; batch++) {
            List<NewDocument> chunk = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int size = random.nextInt(200) == 0
                        ? ActiveRecordReader.SCAN_WINDOW + random.nextInt(1000)
                        : 50 + random.nextInt(2000);
                chunk.add(ActiveSegmentScanWindowTest.document(generator, written.size() + chunk.size(), size, random));
            }
            active.append(chunk);
            written.addAll(chunk);
        }
    }

    @AfterEach
    void close() throws Exception {
        active.close();
        TestFiles.deleteRecursively(dir);
    }

    @Test
    void readsWhatTheOneThreadCursorReads() throws Exception {
        SegmentRoundTripTest.assertReadsBack(written, active::get, spec -> active.scan(spec, PARALLEL));
        UUID middle = written.get(1234).id();
        RecordFilter evenN = source -> (source.get(source.position() + 3) & 1) == 0; // {"n": <fixint or int>, …}
        List<ScanSpec> specs = List.of(
                ScanSpec.ALL,
                ScanSpec.range(5_000, 17_000),
                ScanSpec.ALL.after(middle),
                ScanSpec.filtered(evenN),
                ScanSpec.range(0, 25_000).after(written.get(10).id()),
                ScanSpec.ALL.after(written.getLast().id()),
                ScanSpec.range(1_000_000, 2_000_000));
        for (ScanSpec spec : specs) {
            List<StoredDocument> one = read(active.scan(spec));
            List<StoredDocument> many = read(active.scan(spec, PARALLEL));
            assertEquals(one.size(), many.size(), spec.toString());
            for (int i = 0; i < one.size(); i++) {
                assertEquals(one.get(i).id(), many.get(i).id());
                assertEquals(one.get(i).timestamp(), many.get(i).timestamp());
                assertArrayEquals(one.get(i).source(), many.get(i).source());
            }
        }
    }

    @Test
    void aDamagedRecordEndsTheScanAfterTheDocumentsBeforeIt() throws Exception {
        int victim = 2222;
        long offset = recordOffset(victim);
        try (RandomAccessFile file = new RandomAccessFile(active.path().toFile(), "rw")) {
            file.seek(offset + 40); // inside the record, past its prefix: its checksum no longer holds
            int b = file.read();
            file.seek(offset + 40);
            file.write(b ^ 0x5a);
        }
        for (ScanWorkers workers : List.of(ScanWorkers.NONE, PARALLEL)) {
            List<UUID> ids = new ArrayList<>();
            try (DocumentCursor cursor = active.scan(ScanSpec.ALL, workers)) {
                assertThrows(CorruptSegmentException.class, () -> {
                    while (cursor.advance()) {
                        ids.add(cursor.id());
                    }
                });
            }
            assertEquals(
                    written.subList(0, victim).stream().map(NewDocument::id).toList(), ids);
        }
    }

    @Test
    void aReaderThatStopsEarlyLeavesNothingReading() throws Exception {
        for (int n : new int[] {0, 1, 70, 700}) {
            try (DocumentCursor cursor = active.scan(ScanSpec.ALL, PARALLEL)) {
                for (int i = 0; i < n; i++) {
                    assertTrue(cursor.advance());
                    assertEquals(written.get(i).id(), cursor.id());
                }
            }
        }
        active.close();
        assertTrue(active.awaitClosed(Duration.ofSeconds(10)), "every reference released: the channel closed");
    }

    private static List<StoredDocument> read(DocumentCursor cursor) {
        List<StoredDocument> docs = new ArrayList<>();
        try (cursor) {
            while (cursor.advance()) {
                docs.add(cursor.document());
            }
        }
        return docs;
    }

    /** Where record {@code ordinal} starts in the file, found as recovery finds it. */
    private long recordOffset(int ordinal) throws Exception {
        ActiveFileScan scan =
                ActiveFileScan.scan(MemorySegment.ofArray(Files.readAllBytes(active.path())), header.encodedLength());
        return scan.index()
                .view(scan.index().count(), scan.end(), scan.minTimestamp(), scan.maxTimestamp())
                .offset(ordinal);
    }
}
