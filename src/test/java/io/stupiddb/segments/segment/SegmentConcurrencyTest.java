package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.DictionaryFixture;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference counting, use-after-close, deterministic unmap, and group commit. */
class SegmentConcurrencyTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("concurrency");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    private SealedSegment sealedWith(List<NewDocument> docs, String id) throws IOException {
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create(id, 1L, Codec.ZSTD, 3, 0, null),
                DurabilityMode.NEVER,
                InstantSource.system());
        active.append(docs);
        return active.seal();
    }

    @Test
    void closingWaitsForAnOpenCursorThenFailsNewReaders() throws Exception {
        List<NewDocument> docs = new TestDocuments(1).batch(50);
        SealedSegment segment = sealedWith(docs, "refs");
        DocumentCursor cursor = segment.scan(ScanSpec.ALL);
        assertTrue(cursor.advance());
        segment.close();
        assertTrue(segment.isClosing());
        assertFalse(segment.awaitUnmapped(Duration.ofMillis(50)), "mapping stays while a cursor is open");
        assertThrows(
                SegmentClosedException.class, () -> segment.get(docs.getFirst().id()));
        assertThrows(SegmentClosedException.class, () -> segment.scan(ScanSpec.ALL));
        int seen = 1;
        while (cursor.advance()) {
            assertArrayEquals(docs.get(seen).source(), cursor.document().source());
            seen++;
        }
        assertEquals(docs.size(), seen, "the in-flight reader finishes its walk");
        cursor.close();
        assertTrue(segment.awaitUnmapped(Duration.ofSeconds(5)), "last reader out unmaps");
        assertThrows(SegmentClosedException.class, cursor::advance, "use after close is the domain exception");
    }

    @Test
    void readersOnOtherThreadsGetDataOrTheDomainExceptionWhileTheSegmentCloses() throws Exception {
        List<NewDocument> docs = new TestDocuments(2).batch(200);
        for (int round = 0; round < 20; round++) {
            SealedSegment segment = sealedWith(docs, "race-" + round);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            AtomicInteger closedSeen = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                final int seed = t;
                pool.submit(() -> {
                    started.countDown();
                    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                    try {
                        while (true) {
                            NewDocument doc = docs.get(random.nextInt(docs.size()));
                            if (seed % 2 == 0) {
                                assertArrayEquals(
                                        doc.source(),
                                        segment.get(doc.id()).orElseThrow().source());
                            } else {
                                try (DocumentCursor cursor = segment.scan(ScanSpec.ALL)) {
                                    for (int i = 0; i < 10 && cursor.advance(); i++) {
                                        assertArrayEquals(
                                                docs.get(i).source(),
                                                cursor.document().source());
                                    }
                                }
                            }
                        }
                    } catch (SegmentClosedException expected) {
                        closedSeen.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                });
            }
            started.await();
            Thread.sleep(5);
            Path file = segment.path();
            segment.close(() -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertNull(unexpected.get(), () -> "unexpected " + unexpected.get());
            assertEquals(4, closedSeen.get());
            assertTrue(segment.awaitUnmapped(Duration.ofSeconds(5)));
            assertFalse(Files.exists(file), "the file is deleted right after the last reader leaves");
        }
    }

    @Test
    void sharedContextsNeverCarryOneSegmentsDictionaryIntoAnother() throws Exception {
        try (io.stupiddb.segments.format.DecompressionContexts shared =
                new io.stupiddb.segments.format.DecompressionContexts(1)) {
            List<NewDocument> docs = new TestDocuments(9).batch(100);
            ActiveSegment withDictionary = ActiveSegment.create(
                    dir,
                    SegmentHeader.create("dict", 1L, Codec.ZSTD, 3, 0, DictionaryFixture.dictionary()),
                    DurabilityMode.NEVER,
                    InstantSource.system(),
                    shared);
            withDictionary.append(docs.subList(0, 50));
            ActiveSegment without = ActiveSegment.create(
                    dir,
                    SegmentHeader.create("plain", 1L, Codec.ZSTD, 3, 0, null),
                    DurabilityMode.NEVER,
                    InstantSource.system(),
                    shared);
            without.append(docs.subList(50, 100));
            SealedSegment a = withDictionary.seal();
            SealedSegment b = without.seal();
            // Alternate between the two so the one pooled context serves both, dictionary and none.
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    assertArrayEquals(
                            docs.get(i).source(),
                            a.get(docs.get(i).id()).orElseThrow().source());
                    assertArrayEquals(
                            docs.get(50 + i).source(),
                            b.get(docs.get(50 + i).id()).orElseThrow().source());
                }
            }
            a.close();
            b.close();
        }
    }

    @Test
    void segmentsWithTheSameDictionaryShareOneCopy() throws Exception {
        try (io.stupiddb.segments.format.DecompressionContexts shared =
                new io.stupiddb.segments.format.DecompressionContexts(2)) {
            List<NewDocument> docs = new TestDocuments(10).batch(40);
            byte[] dictionary = DictionaryFixture.dictionary();
            List<SealedSegment> segments = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ActiveSegment active = ActiveSegment.create(
                        dir,
                        SegmentHeader.create("same-" + i, 1L, Codec.ZSTD, 3, 0, dictionary),
                        DurabilityMode.NEVER,
                        InstantSource.system(),
                        shared);
                active.append(docs.subList(i * 10, i * 10 + 10));
                segments.add(active.seal());
            }
            assertEquals(1, shared.dictionaries().size(), "one shared dictionary for three segments");
            for (int i = 0; i < 30; i++) {
                assertArrayEquals(
                        docs.get(i).source(),
                        segments.get(i / 10).get(docs.get(i).id()).orElseThrow().source());
            }
            for (SealedSegment segment : segments) {
                segment.close();
                assertTrue(segment.awaitUnmapped(Duration.ofSeconds(5)));
            }
            assertEquals(0, shared.dictionaries().size(), "released with the last segment");
        }
    }

    @Test
    void concurrentBatchesShareFsyncsAndAllArriveInIdOrder() throws Exception {
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create("group", 1L, Codec.NONE, 0, 0, null),
                DurabilityMode.ALWAYS,
                InstantSource.system());
        TestDocuments generator = new TestDocuments(3);
        ReentrantLock idLock = new ReentrantLock();
        int threads = 8;
        int batchesPerThread = 40;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<NewDocument> acknowledged = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                barrier.await();
                for (int b = 0; b < batchesPerThread; b++) {
                    List<NewDocument> batch;
                    long ticket;
                    // Ids are taken and written in one step under a lock, as the store's writer does;
                    // the fsync wait happens outside it.
                    idLock.lock();
                    try {
                        batch = generator.batch(3);
                        ticket = active.write(batch);
                    } finally {
                        idLock.unlock();
                    }
                    active.awaitDurable(ticket);
                    acknowledged.addAll(batch);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int batches = threads * batchesPerThread;
        assertEquals(batches * 3L, active.documents());
        assertTrue(
                active.syncCount() < batches,
                "group commit: " + active.syncCount() + " fsyncs for " + batches + " batches");
        for (NewDocument doc : acknowledged) {
            assertArrayEquals(doc.source(), active.get(doc.id()).orElseThrow().source());
        }
        active.seal().close();
    }
}
