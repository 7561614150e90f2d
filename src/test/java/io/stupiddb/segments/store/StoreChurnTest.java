package io.stupiddb.segments.store;

import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers scan and get continuously while the writer rotates, archives and evicts: no exception,
 * every document a scan returns is intact and in id order, and no file or mapping is left behind.
 */
class StoreChurnTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("churn");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    @Test
    void scansAndGetsDuringEvictionAndArchiveNeverFailOrSeeHalfDeletedData() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T00:00:00Z"));
        StoreConfig config = StoreConfig.builder(dir.resolve("data"))
                .maxSegmentSize(1L << 20)
                .archiveAfter(Duration.ofMillis(1))
                .archiveCompressionLevel(5)
                .fsync(DurabilityMode.NEVER)
                .minFreeDisk(0)
                .build();
        Filter errors = Filter.parse("{\"level\":\"error\"}");
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong scanned = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                final boolean filtered = r == 1;
                readers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        UUID previous = null;
                        try (DocumentCursor cursor =
                                store.scan(filtered ? ScanSpec.filtered(errors::matches) : ScanSpec.ALL)) {
                            while (cursor.advance()) {
                                Map<String, Object> doc = TestDocuments.decode(cursor.source());
                                if (filtered) {
                                    assertEquals("error", doc.get("level"));
                                }
                                if (previous != null) {
                                    assertTrue(DocumentIds.compare(previous, cursor.id()) < 0, "id order");
                                }
                                previous = cursor.id();
                                scanned.incrementAndGet();
                            }
                        }
                        if (previous != null) {
                            store.get(previous); // may be gone by now; must not fail
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("churn.seconds", 4));
            int round = 0;
            // For the time given and at least 20 rounds: a slow machine does less per second, not less in all.
            while (System.nanoTime() < deadline || round < 20) {
                List<DocumentToWrite> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(DocumentToWrite.at(
                            TestDocuments.msgpack(
                                    Map.of("level", i % 4 == 0 ? "error" : "info", "round", round, "i", i)),
                            clock.millis()));
                }
                store.write(batch);
                store.rotate(RotationReason.MANUAL);
                clock.advance(Duration.ofMillis(5));
                store.archiveDue();
                List<SegmentInfo> segments = store.segments();
                if (segments.size() > 4) {
                    store.evict(segments.getFirst().id());
                }
                round++;
            }
            stop.set(true);
            for (Future<?> reader : readers) {
                reader.get(30, TimeUnit.SECONDS); // rethrows any reader failure
            }
            pool.shutdown();
            assertTrue(scanned.get() > 0 && round > 10, "work happened: " + round + " rounds, " + scanned + " docs");
            assertTrue(store.segments().size() <= 5);
        }
        try (var files = Files.list(dir.resolve("data"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".deleted")), "no file left behind");
        }
        try (var files = Files.list(dir.resolve("data").resolve("archive"))) {
            assertTrue(files.filter(p -> p.toString().endsWith(".seg")).count() <= 5);
        }
    }
}
