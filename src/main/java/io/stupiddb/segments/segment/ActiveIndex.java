package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.SegmentIndex;

import java.util.Arrays;

/**
 * The in-memory index of the active segment: parallel arrays of id halves, record offsets and
 * lengths, in write (= id) order. The writer appends under its lock and grows by copying; a
 * reader gets an immutable {@link View} whose first {@code count} entries never change, so reads
 * need no lock.
 */
final class ActiveIndex {
    /** What readers may see: the first {@code count} entries of these arrays. */
    record View(
            long[] msb,
            long[] lsb,
            long[] offsets,
            int[] lengths,
            int count,
            long endPosition,
            long minTimestamp,
            long maxTimestamp) {

        /** First ordinal whose id is greater than (or, {@code inclusive}, equal to) the given id. */
        int lowerBound(long idMsb, long idLsb, boolean inclusive) {
            int low = 0;
            int high = count;
            while (low < high) {
                int mid = (low + high) >>> 1;
                int cmp = SegmentIndex.compare(msb[mid], lsb[mid], idMsb, idLsb);
                if (cmp < 0 || (cmp == 0 && !inclusive)) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }

        int find(long idMsb, long idLsb) {
            int ordinal = lowerBound(idMsb, idLsb, true);
            return ordinal < count && msb[ordinal] == idMsb && lsb[ordinal] == idLsb ? ordinal : -1;
        }
    }

    private long[] msb;
    private long[] lsb;
    private long[] offsets;
    private int[] lengths;
    private int count;

    ActiveIndex(int capacity) {
        int initial = Math.max(16, capacity);
        msb = new long[initial];
        lsb = new long[initial];
        offsets = new long[initial];
        lengths = new int[initial];
    }

    /** Writer only (caller holds the append lock); growing publishes new arrays under {@code this}. */
    void add(long idMsb, long idLsb, long offset, int length) {
        if (count == msb.length) {
            int grown = msb.length * 2;
            synchronized (this) {
                msb = Arrays.copyOf(msb, grown);
                lsb = Arrays.copyOf(lsb, grown);
                offsets = Arrays.copyOf(offsets, grown);
                lengths = Arrays.copyOf(lengths, grown);
            }
        }
        msb[count] = idMsb;
        lsb[count] = idLsb;
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }

    /** Writer only: drops entries past {@code newCount} (a failed write that was undone). */
    void truncate(int newCount) {
        count = newCount;
    }

    int count() {
        return count;
    }

    long msb(int ordinal) {
        return msb[ordinal];
    }

    long lsb(int ordinal) {
        return lsb[ordinal];
    }

    long offset(int ordinal) {
        return offsets[ordinal];
    }

    /** A view of the first {@code visibleCount} entries (all written before this call). */
    synchronized View view(int visibleCount, long endPosition, long minTimestamp, long maxTimestamp) {
        return new View(msb, lsb, offsets, lengths, visibleCount, endPosition, minTimestamp, maxTimestamp);
    }
}
