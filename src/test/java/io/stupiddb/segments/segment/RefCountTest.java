package io.stupiddb.segments.segment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RefCount}: the release action runs once, only after close and the last reader's release. */
class RefCountTest {
    private final AtomicInteger releases = new AtomicInteger();
    private final RefCount count = new RefCount("0000-seg", releases::incrementAndGet);

    @Test
    void closeWithoutReadersReleasesAtOnce() throws InterruptedException {
        assertFalse(count.isClosing());
        count.close();
        assertTrue(count.isClosing());
        assertTrue(count.isReleased());
        assertTrue(count.awaitReleased(0, TimeUnit.MILLISECONDS));
        assertEquals(1, releases.get());
    }

    @Test
    void closeWaitsForTheLastReader() {
        count.acquire();
        count.acquire();
        assertEquals(2, count.readers());
        count.close();
        assertTrue(count.isClosing());
        assertFalse(count.isReleased(), "two readers inside");
        count.release();
        assertFalse(count.isReleased(), "one reader inside");
        assertEquals(0, releases.get());
        count.release();
        assertTrue(count.isReleased());
        assertEquals(1, releases.get());
        assertEquals(0, count.readers());
    }

    @Test
    void readersComeAndGoBeforeCloseWithoutReleasing() {
        for (int i = 0; i < 3; i++) {
            count.acquire();
            count.release();
        }
        assertEquals(0, count.readers());
        assertFalse(count.isReleased());
        assertEquals(0, releases.get());
    }

    @Test
    void acquireAfterCloseFailsWithTheSegmentId() {
        count.acquire();
        count.close();
        SegmentClosedException e = assertThrows(SegmentClosedException.class, count::acquire);
        assertTrue(e.getMessage().contains("0000-seg"), e.getMessage());
        assertEquals(1, count.readers(), "the failed acquire is not counted");
        count.release();
        assertEquals(1, releases.get());
    }

    @Test
    void closeIsIdempotent() {
        count.close();
        count.close();
        assertEquals(1, releases.get());
        assertThrows(SegmentClosedException.class, count::acquire);
    }

    @Test
    void releasingMoreThanAcquiredIsABug() {
        count.acquire();
        count.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, count::release);
        assertTrue(e.getMessage().contains("0000-seg"), e.getMessage());
    }

    @Test
    void aFailingReleaseActionStillCountsAsReleased() {
        RefCount failing = new RefCount("0000-bad", () -> {
            throw new IllegalStateException("unmap failed");
        });
        assertThrows(IllegalStateException.class, failing::close);
        assertTrue(failing.isReleased(), "waiters are not left hanging");
    }

    @Test
    void concurrentReadersAndOneCloseReleaseExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            AtomicInteger released = new AtomicInteger();
            RefCount shared = new RefCount("0000-race", released::incrementAndGet);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < 100; i++) {
                            try {
                                shared.acquire();
                            } catch (SegmentClosedException closed) {
                                return;
                            }
                            shared.release();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            shared.close();
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(shared.awaitReleased(5, TimeUnit.SECONDS));
            assertEquals(1, released.get(), "round " + round);
            assertEquals(0, shared.readers());
        }
    }
}
