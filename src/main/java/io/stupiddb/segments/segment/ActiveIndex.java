package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.SegmentIndex;

import java.util.Arrays;

/**
 * The in-memory index of the active segment: id halves, record offsets and lengths, in write (=
 * id) order, in pages of {@link #PAGE} entries. The writer appends under its lock; a reader gets
 * an immutable {@link View} whose first {@code count} entries never change, so reads need no lock.
 *
 * <p>Why pages: a segment of 100 MB holds ~140,000 log lines, and one array per field grown by
 * doubling copied them all each time and ended as G1 humongous objects (over half a heap region),
 * several per segment, each starting a concurrent cycle under heavy ingest. A page is never
 * copied or moved once allocated; only the small table of pages grows.
 */
final class ActiveIndex {
    /** Entries per page: 16,384 (a page of longs is 128 KiB, well under a G1 region's half). */
    static final int PAGE_SHIFT = 14;

    static final int PAGE = 1 << PAGE_SHIFT;
    private static final int MASK = PAGE - 1;

    /** What readers may see: the first {@code count} entries of these pages. */
    record View(
            long[][] msbPages,
            long[][] lsbPages,
            long[][] offsetPages,
            int[][] lengthPages,
            int count,
            long endPosition,
            long minTimestamp,
            long maxTimestamp) {

        long msb(int ordinal) {
            return msbPages[ordinal >>> PAGE_SHIFT][ordinal & MASK];
        }

        long lsb(int ordinal) {
            return lsbPages[ordinal >>> PAGE_SHIFT][ordinal & MASK];
        }

        long offset(int ordinal) {
            return offsetPages[ordinal >>> PAGE_SHIFT][ordinal & MASK];
        }

        int length(int ordinal) {
            return lengthPages[ordinal >>> PAGE_SHIFT][ordinal & MASK];
        }

        /** First ordinal whose id is greater than (or, {@code inclusive}, equal to) the given id. */
        int lowerBound(long idMsb, long idLsb, boolean inclusive) {
            int low = 0;
            int high = count;
            while (low < high) {
                int mid = (low + high) >>> 1;
                int cmp = SegmentIndex.compare(msb(mid), lsb(mid), idMsb, idLsb);
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
            return ordinal < count && msb(ordinal) == idMsb && lsb(ordinal) == idLsb ? ordinal : -1;
        }
    }

    // The tables of pages are replaced (never changed in place) when they grow, under this, so a
    // view taken under this sees every page its count needs.
    private long[][] msb = new long[1][];
    private long[][] lsb = new long[1][];
    private long[][] offsets = new long[1][];
    private int[][] lengths = new int[1][];
    private int count;

    /**
     * An empty index whose first page holds {@code capacity} entries (at most {@link #PAGE}), so
     * that small segments take little memory; later pages are whole.
     */
    ActiveIndex(int capacity) {
        int first = Math.clamp(capacity, 16, PAGE);
        msb[0] = new long[first];
        lsb[0] = new long[first];
        offsets[0] = new long[first];
        lengths[0] = new int[first];
    }

    /** Writer only (caller holds the append lock). */
    void add(long idMsb, long idLsb, long offset, int length) {
        int page = count >>> PAGE_SHIFT;
        int slot = count & MASK;
        if (page == msb.length || msb[page] == null || slot == msb[page].length) {
            addRoom(page);
        }
        msb[page][slot] = idMsb;
        lsb[page][slot] = idLsb;
        offsets[page][slot] = offset;
        lengths[page][slot] = length;
        count++;
    }

    /** Makes page {@code page} whole: the first page grown to {@link #PAGE} entries, or a new page. */
    private synchronized void addRoom(int page) {
        if (page == msb.length) {
            msb = Arrays.copyOf(msb, 2 * page);
            lsb = Arrays.copyOf(lsb, 2 * page);
            offsets = Arrays.copyOf(offsets, 2 * page);
            lengths = Arrays.copyOf(lengths, 2 * page);
        }
        if (msb[page] == null) {
            msb[page] = new long[PAGE];
            lsb[page] = new long[PAGE];
            offsets[page] = new long[PAGE];
            lengths[page] = new int[PAGE];
        } else { // the first page, smaller: readers may hold it, so a grown copy replaces it
            msb[page] = Arrays.copyOf(msb[page], PAGE);
            lsb[page] = Arrays.copyOf(lsb[page], PAGE);
            offsets[page] = Arrays.copyOf(offsets[page], PAGE);
            lengths[page] = Arrays.copyOf(lengths[page], PAGE);
        }
    }

    /** Writer only: drops entries past {@code newCount} (a failed write that was undone). */
    void truncate(int newCount) {
        count = newCount;
    }

    int count() {
        return count;
    }

    /** A view of the first {@code visibleCount} entries (all written before this call). */
    synchronized View view(int visibleCount, long endPosition, long minTimestamp, long maxTimestamp) {
        return new View(
                msb.clone(),
                lsb.clone(),
                offsets.clone(),
                lengths.clone(),
                visibleCount,
                endPosition,
                minTimestamp,
                maxTimestamp);
    }
}
