package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;

/**
 * The index of a sealed segment (docs/FORMAT.md, "Index"): one 24-byte entry per record, in
 * record order, which is also ascending id order because ids only increase inside a segment.
 * It is searched in place on the mapping; nothing is copied to the heap.
 *
 * <pre>
 * entry   size  field
 *     0     8  id, most significant half (compared unsigned)
 *     8     8  id, least significant half (compared unsigned)
 *    16     8  record offset in the file
 * </pre>
 */
public final class SegmentIndex {
    public static final int ENTRY_SIZE = 24;

    private SegmentIndex() {}

    public static long entryMsb(MemorySegment data, long indexOffset, long ordinal) {
        return data.get(Layouts.LONG, indexOffset + ordinal * ENTRY_SIZE);
    }

    public static long entryLsb(MemorySegment data, long indexOffset, long ordinal) {
        return data.get(Layouts.LONG, indexOffset + ordinal * ENTRY_SIZE + 8);
    }

    public static long entryOffset(MemorySegment data, long indexOffset, long ordinal) {
        return data.get(Layouts.LONG, indexOffset + ordinal * ENTRY_SIZE + 16);
    }

    /**
     * The ordinal of the first entry whose id is greater than or equal to ({@code inclusive}) or
     * strictly greater than the given id; {@code count} when there is none.
     */
    public static long lowerBound(
            MemorySegment data, long indexOffset, long count, long msb, long lsb, boolean inclusive) {
        long low = 0;
        long high = count;
        while (low < high) {
            long mid = (low + high) >>> 1;
            int cmp = compare(entryMsb(data, indexOffset, mid), entryLsb(data, indexOffset, mid), msb, lsb);
            if (cmp < 0 || (cmp == 0 && !inclusive)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The ordinal of the entry with exactly this id, or -1. */
    public static long find(MemorySegment data, long indexOffset, long count, long msb, long lsb) {
        long ordinal = lowerBound(data, indexOffset, count, msb, lsb, true);
        if (ordinal < count
                && entryMsb(data, indexOffset, ordinal) == msb
                && entryLsb(data, indexOffset, ordinal) == lsb) {
            return ordinal;
        }
        return -1;
    }

    /** Unsigned 128-bit comparison, which is the order of the canonical UUID text. */
    public static int compare(long msbA, long lsbA, long msbB, long lsbB) {
        int cmp = Long.compareUnsigned(msbA, msbB);
        return cmp != 0 ? cmp : Long.compareUnsigned(lsbA, lsbB);
    }

    public static void writeEntry(java.nio.ByteBuffer out, long msb, long lsb, long offset) {
        out.putLong(msb).putLong(lsb).putLong(offset);
    }
}
