package io.stupiddb.segments.segment;

import java.util.UUID;

/**
 * What a scan returns: documents with {@code fromInclusive <= timestamp < toExclusive}, ids after
 * {@code afterId} (exclusive, null for the start), and accepted by {@code filter}, in id order.
 */
public record ScanSpec(long fromInclusive, long toExclusive, UUID afterId, RecordFilter filter) {
    public static final ScanSpec ALL = new ScanSpec(Long.MIN_VALUE, Long.MAX_VALUE, null, RecordFilter.ALL);

    public ScanSpec {
        if (filter == null) {
            filter = RecordFilter.ALL;
        }
    }

    public static ScanSpec filtered(RecordFilter filter) {
        return new ScanSpec(Long.MIN_VALUE, Long.MAX_VALUE, null, filter);
    }

    public static ScanSpec range(long fromInclusive, long toExclusive) {
        return new ScanSpec(fromInclusive, toExclusive, null, RecordFilter.ALL);
    }

    public ScanSpec after(UUID id) {
        return new ScanSpec(fromInclusive, toExclusive, id, filter);
    }

    public boolean inRange(long timestamp) {
        return timestamp >= fromInclusive && timestamp < toExclusive;
    }

    /** Whether a segment whose timestamps span [min, max] can hold a match. */
    public boolean overlaps(long minTimestamp, long maxTimestamp) {
        return maxTimestamp >= fromInclusive && minTimestamp < toExclusive;
    }
}
