package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which segments retention evicts, as pure functions over segment metadata (Prometheus TSDB's
 * {@code BeyondTimeRetention}/{@code BeyondSizeRetention}): they return ids, the caller evicts
 * and counts. The active segment is never returned.
 */
public final class Retention {
    private Retention() {}

    /** Sealed or archived segments whose newest timestamp is older than {@code now - retention}. */
    public static List<String> beyondTime(List<SegmentInfo> segments, long nowMillis, Duration retention) {
        long cutoff = nowMillis - retention.toMillis();
        List<String> ids = new ArrayList<>();
        for (SegmentInfo segment : segments) {
            if (segment.state() != SegmentState.ACTIVE
                    && segment.maxTimestamp() != null
                    && segment.maxTimestamp() < cutoff) {
                ids.add(segment.id());
            }
        }
        return ids;
    }

    /**
     * The oldest sealed or archived segments (in the given order, oldest first) to evict so that
     * the total size of all segments, the active one included, is at most {@code maxTotalBytes}.
     * Segments already chosen by another rule ({@code alreadyEvicted}) count as gone.
     */
    public static List<String> beyondSize(List<SegmentInfo> segments, long maxTotalBytes, Set<String> alreadyEvicted) {
        long total = 0;
        for (SegmentInfo segment : segments) {
            if (!alreadyEvicted.contains(segment.id())) {
                total += segment.sizeBytes();
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        for (SegmentInfo segment : segments) {
            if (total <= maxTotalBytes) {
                break;
            }
            if (segment.state() != SegmentState.ACTIVE && !alreadyEvicted.contains(segment.id())) {
                ids.add(segment.id());
                total -= segment.sizeBytes();
            }
        }
        return List.copyOf(ids);
    }
}
