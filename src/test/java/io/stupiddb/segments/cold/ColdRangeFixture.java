package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.S3ProxyServer;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One test's store with a cold tier on a shared S3Proxy: its own data directory, clock and key
 * prefix, segments of about 1 KiB incompressible documents (so an object is far larger than its
 * index), scans captured with bytes and timestamps, and the object files themselves for damage.
 * Blocks of 16 KiB, granules of 64 documents: a segment is many of both. Not thread-safe.
 */
final class ColdRangeFixture {
    static final String BUCKET = "ranges";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    static final long BLOCK = 16 * 1024;

    private final S3ProxyServer s3;
    final Path dir;
    final MutableClock clock;
    /** Open between {@link #open} and {@link #close}; null before. */
    SegmentStore store;

    ColdSettings settings;
    private final Random random = new Random(11);

    /** A fresh data directory and key prefix on {@code s3}, nothing open yet. */
    ColdRangeFixture(S3ProxyServer s3) throws IOException {
        this.s3 = s3;
        dir = Files.createTempDirectory("cold-ranges");
        clock = new MutableClock(T0);
        settings = s3.settings(BUCKET, 64L << 20)
                .withPrefix("r" + PREFIXES.incrementAndGet() + "/")
                .withScanBlockSize(BLOCK);
    }

    /** Brings S3Proxy back (a test that stopped it may have failed), closes the store, deletes the directory. */
    void close() throws IOException {
        s3.start();
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    void open() throws IOException {
        store = SegmentStore.open(
                StoreConfig.builder(dir.resolve("data"))
                        .minFreeDisk(0)
                        .nodeId(4)
                        .archiveAfter(Duration.ofHours(2))
                        .retention(Duration.ofDays(30))
                        // "blob" would be a column of 1 KiB strings: as large as the records
                        .columns(ColumnSettings.DEFAULT.withGranuleRows(64).withPaths(List.of(), List.of("blob")))
                        .coldTier(settings)
                        .build(),
                clock);
    }

    void reopen() throws IOException {
        store.close();
        store = null;
        open();
    }

    ColdTier cold() {
        return store.coldTier().orElseThrow();
    }

    /**
     * Writes {@code n} documents (about 1 KiB each of incompressible text, so the object is far
     * larger than its index) into a segment of their own and seals it.
     */
    List<WrittenDocument> sealedSegment(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] noise = new byte[768];
            random.nextBytes(noise);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("i", i);
            doc.put("level", i % 3 == 0 ? "error" : "info");
            doc.put("blob", Base64.getEncoder().encodeToString(noise));
            batch.add(DocumentToWrite.at(TestDocuments.msgpack(doc), clock.millis() + i));
        }
        List<WrittenDocument> written = store.write(batch);
        store.rotate(RotationReason.MANUAL).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        return written;
    }

    List<String> archiveAll() throws IOException {
        clock.advance(Duration.ofHours(3));
        return store.archiveDue();
    }

    /** One segment's documents, its id, and what a scan returned while it was sealed. */
    record Archived(List<WrittenDocument> written, String id, Map<UUID, String> sealedScan) {}

    /** Opens the store, seals {@code n} documents, scans them, archives them and reopens (empty cache). */
    Archived archivedAndReopened(int n) throws IOException {
        open();
        List<WrittenDocument> written = sealedSegment(n);
        Map<UUID, String> sealed = scan(store, ScanSpec.ALL);
        assertEquals(1, archiveAll().size());
        reopen();
        return new Archived(written, written.getFirst().segmentId(), sealed);
    }

    static Map<UUID, String> scan(SegmentStore store, ScanSpec spec) {
        Map<UUID, String> found = new LinkedHashMap<>();
        try (DocumentCursor cursor = store.scan(spec)) {
            while (cursor.advance()) {
                StoredDocument doc = cursor.document();
                found.put(
                        doc.id(),
                        doc.timestamp() + " " + doc.segmentId() + " "
                                + HexFormat.of().formatHex(doc.source()));
            }
        }
        return found;
    }

    static ScanSpec planned(String json, long from, long to) {
        Filter filter = Filter.parse(json);
        return new ScanSpec(from, to, null, filter::matches, Optional.of(BlockPlanner.compile(json)));
    }

    Path objectFile(String segmentId) {
        return s3.objectFile(BUCKET, settings.key(4, segmentId));
    }

    /** Offset in the object of the {@code ordinal}-th record, read from the object's own index. */
    long recordOffset(String segmentId, long ordinal) throws IOException {
        Path copy = dir.resolve(segmentId + ".seg");
        Files.copy(objectFile(segmentId), copy);
        try (SealedSegment sealed = SealedSegment.open(copy, SegmentState.ARCHIVED)) {
            byte[] bytes = Files.readAllBytes(copy);
            return SegmentIndex.entryOffset(
                    MemorySegment.ofArray(bytes), sealed.footer().indexOffset(), ordinal);
        } finally {
            Files.delete(copy);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(offset)] ^= 0x10;
        Files.write(file, bytes);
    }

    List<LifecycleEvent> events() throws IOException {
        return store.journal().eventsAfter(0, 1000);
    }
}
