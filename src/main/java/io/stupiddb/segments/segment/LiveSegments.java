package io.stupiddb.segments.segment;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's segments as readers see them, and the one lock under which they change.
 *
 * <p>Invariants: {@link #current()} is an immutable {@link SegmentList}; every change (a new
 * active segment, a rotation, an eviction, an archive swap, a quarantine) builds a new list and
 * {@link #publish}es it whole, under the writer lock, so there is one writer and a reader never
 * sees half a change. Once {@link #markClosed closed}, lifecycle work refuses to start.
 *
 * <p>Thread-safety: {@link #current()} from any thread without locking; {@link #publish} and
 * {@link #markClosed} with the writer lock held (checked).
 */
public final class LiveSegments {
    /** The one writer: ids, appends, rotation, eviction, archive swaps, quarantine. */
    private final ReentrantLock writerLock = new ReentrantLock();

    private volatile SegmentList current = SegmentList.empty();
    private volatile boolean closed;

    /** The segments now; lock-free. */
    public SegmentList current() {
        return current;
    }

    /** Replaces the list readers see. Caller holds the writer lock. */
    public void publish(SegmentList next) {
        checkHeld();
        current = next;
    }

    /** The lock every change of the segment list (and every write) is made under. */
    public ReentrantLock writerLock() {
        return writerLock;
    }

    /** @throws IllegalStateException once the store is closed */
    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the segment store is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** No lifecycle work starts after this. Caller holds the writer lock. */
    public void markClosed() {
        checkHeld();
        closed = true;
    }

    private void checkHeld() {
        if (!writerLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the segment list changes only under the writer lock");
        }
    }
}
