package io.stupiddb.segments.segment;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reference count of the readers of one segment, so that closing it never unmaps or closes a
 * file under a reader (Prometheus' "Close waits for pending readers; new readers get
 * ErrClosing"). Lock-free: one CAS per acquire and per release.
 *
 * <p>State: the low 62 bits count readers, the top bit says "closing". {@link #close()} sets the
 * bit; from then on {@link #acquire()} fails with {@link SegmentClosedException}. The release
 * action runs exactly once, on the thread that brings the count to zero after close.
 */
public final class RefCount {
    private static final long CLOSING = 1L << 62;

    private final String segmentId;
    private final Runnable releaseAction;
    private final AtomicLong state = new AtomicLong();
    private final CountDownLatch released = new CountDownLatch(1);

    public RefCount(String segmentId, Runnable releaseAction) {
        this.segmentId = segmentId;
        this.releaseAction = releaseAction;
    }

    /** Registers a reader; thread-safe. @throws SegmentClosedException once closing has begun */
    public void acquire() {
        while (true) {
            long current = state.get();
            if ((current & CLOSING) != 0) {
                throw new SegmentClosedException(segmentId);
            }
            if (state.compareAndSet(current, current + 1)) {
                return;
            }
        }
    }

    /** Unregisters a reader; thread-safe. */
    public void release() {
        long after = state.decrementAndGet();
        if (after == CLOSING) {
            runRelease();
        } else if ((after & ~CLOSING) < 0) {
            throw new IllegalStateException("segment " + segmentId + " released more often than acquired");
        }
    }

    /** Starts closing; the release action runs now if no reader is in, else when the last one leaves. Idempotent. */
    public void close() {
        while (true) {
            long current = state.get();
            if ((current & CLOSING) != 0) {
                return;
            }
            if (state.compareAndSet(current, current | CLOSING)) {
                if (current == 0) {
                    runRelease();
                }
                return;
            }
        }
    }

    public boolean isClosing() {
        return (state.get() & CLOSING) != 0;
    }

    /** Readers currently inside. */
    public long readers() {
        return state.get() & ~CLOSING;
    }

    /** Waits until the release action has run (after {@link #close()}); true when it has. */
    public boolean awaitReleased(long timeout, TimeUnit unit) throws InterruptedException {
        return released.await(timeout, unit);
    }

    public boolean isReleased() {
        return released.getCount() == 0;
    }

    private void runRelease() {
        try {
            releaseAction.run();
        } finally {
            released.countDown();
        }
    }
}
