package io.stupiddb.segments.query.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The int64 values a test accepts, as sorted disjoint closed intervals: what {@code $eq},
 * {@code $in} and the range operators mean on an INT column, decided once per filter.
 *
 * <p>Immutable and thread-safe.
 */
final class LongSet {

    static final LongSet NONE = new LongSet(new long[0], new long[0]);

    /** Answers of {@link #classify}. */
    static final int NO_VALUE = 0;

    static final int SOME_VALUES = 1;
    static final int ALL_VALUES = 2;

    private final long[] lo;
    private final long[] hi;

    private LongSet(long[] lo, long[] hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** @param intervals {lo, hi} pairs (null entries are empty); may overlap */
    static LongSet of(List<long[]> intervals) {
        List<long[]> sorted = new ArrayList<>();
        for (long[] interval : intervals) {
            if (interval != null) {
                sorted.add(interval);
            }
        }
        if (sorted.isEmpty()) {
            return NONE;
        }
        sorted.sort(Comparator.comparingLong(i -> i[0]));
        List<long[]> merged = new ArrayList<>();
        long[] current = sorted.getFirst().clone();
        for (long[] next : sorted.subList(1, sorted.size())) {
            if (next[0] <= current[1] || current[1] != Long.MAX_VALUE && next[0] == current[1] + 1) {
                current[1] = Math.max(current[1], next[1]);
            } else {
                merged.add(current);
                current = next.clone();
            }
        }
        merged.add(current);
        return new LongSet(
                merged.stream().mapToLong(i -> i[0]).toArray(),
                merged.stream().mapToLong(i -> i[1]).toArray());
    }

    boolean isEmpty() {
        return lo.length == 0;
    }

    boolean contains(long v) {
        if (lo.length == 1) {
            return v >= lo[0] && v <= hi[0];
        }
        int i = Arrays.binarySearch(lo, v);
        int index = i >= 0 ? i : -i - 2; // the last interval starting at or below v
        return index >= 0 && v <= hi[index];
    }

    /** Whether no, some or all of the values in {@code [min, max]} are in the set. */
    int classify(long min, long max) {
        for (int i = 0; i < lo.length; i++) {
            if (hi[i] >= min && lo[i] <= max) {
                return lo[i] <= min && hi[i] >= max ? ALL_VALUES : SOME_VALUES;
            }
        }
        return NO_VALUE;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lo.length; i++) {
            text.append(i == 0 ? "" : " ")
                    .append('[')
                    .append(lo[i])
                    .append(", ")
                    .append(hi[i])
                    .append(']');
        }
        return text.toString();
    }
}
