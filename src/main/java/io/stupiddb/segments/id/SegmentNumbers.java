package io.stupiddb.segments.id;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out the numbers of new segments ({@link SegmentId}): the creation time, or one more than
 * the last number handed out when the clock has not moved on. One instance is shared by every
 * store of a data directory (the retention classes' stores too), so segment ids stay unique
 * across them and still sort by creation.
 *
 * <p>Thread-safe: the stores of several classes rotate under their own writer locks, concurrently.
 */
public final class SegmentNumbers {
    private final AtomicLong last = new AtomicLong();

    /** New numbers are above {@code highest} (the largest number a recovery found); never lowers the floor. */
    public void resumeAfter(long highest) {
        last.accumulateAndGet(highest, Math::max);
    }

    /** The id of a segment of node {@code nodeId} created at {@code nowMillis}. */
    public SegmentId next(int nodeId, long nowMillis) {
        long number = last.accumulateAndGet(nowMillis, (previous, now) -> Math.max(now, previous + 1));
        return new SegmentId(nodeId, number);
    }
}
