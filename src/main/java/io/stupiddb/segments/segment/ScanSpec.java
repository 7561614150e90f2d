package io.stupiddb.segments.segment;

import io.stupiddb.segments.query.plan.BlockPlanner;

import java.util.Optional;
import java.util.UUID;

/**
 * What a scan returns: documents with {@code fromInclusive <= timestamp < toExclusive}, ids after
 * {@code afterId} (exclusive, null for the start), and accepted by {@code filter}, in id order.
 * {@code planner}, when present, is the same filter compiled for the column index of format v2
 * segments: it decides rows on the columns, so documents that cannot match are never read and
 * those that certainly match are not evaluated again. It must agree with {@code filter} exactly.
 */
public record ScanSpec(
        long fromInclusive, long toExclusive, UUID afterId, RecordFilter filter, Optional<BlockPlanner> planner) {
    public static final ScanSpec ALL = new ScanSpec(Long.MIN_VALUE, Long.MAX_VALUE, null, RecordFilter.ALL);

    public ScanSpec {
        if (filter == null) {
            filter = RecordFilter.ALL;
        }
        planner = planner == null ? Optional.empty() : planner;
    }

    /** A scan without a column planner: every document in range is tested with {@code filter}. */
    public ScanSpec(long fromInclusive, long toExclusive, UUID afterId, RecordFilter filter) {
        this(fromInclusive, toExclusive, afterId, filter, Optional.empty());
    }

    public static ScanSpec filtered(RecordFilter filter) {
        return new ScanSpec(Long.MIN_VALUE, Long.MAX_VALUE, null, filter);
    }

    public static ScanSpec range(long fromInclusive, long toExclusive) {
        return new ScanSpec(fromInclusive, toExclusive, null, RecordFilter.ALL);
    }

    public ScanSpec after(UUID id) {
        return new ScanSpec(fromInclusive, toExclusive, id, filter, planner);
    }

    public boolean inRange(long timestamp) {
        return timestamp >= fromInclusive && timestamp < toExclusive;
    }

    /** Whether a segment whose timestamps span [min, max] can hold a match. */
    public boolean overlaps(long minTimestamp, long maxTimestamp) {
        return maxTimestamp >= fromInclusive && minTimestamp < toExclusive;
    }
}
