package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.SegmentIndex;

import java.lang.foreign.MemorySegment;

/**
 * Read-only walk over the records of an active file from the header on: verifies each record
 * and stops at the first torn or bad one, or one whose id does not increase. Recovery truncates
 * at {@link #end()}; {@code segment-tool verify} only reports it.
 *
 * <p>When it stops early it also looks for intact records after the stop ({@link #intactAfter}):
 * a process that died mid-append leaves at most a torn batch at the end, never an intact record
 * after a bad one, so records found there mean damage (at rest, or pages written back out of
 * order at a power cut), and recovery keeps the file as found before it cuts.
 */
record ActiveFileScan(
        ActiveIndex index,
        long end,
        long minTimestamp,
        long maxTimestamp,
        long lastMsb,
        long lastLsb,
        String stopReason,
        IntactAfter intactAfter) {

    /** The start of a new file: no records, the next one at {@code headerLength}. */
    static ActiveFileScan empty(long headerLength) {
        return new ActiveFileScan(
                new ActiveIndex(1024), headerLength, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, null, IntactAfter.NONE);
    }

    /** Intact records found after the stop: how many, and where the first one starts. */
    record IntactAfter(long records, long firstOffset) {
        static final IntactAfter NONE = new IntactAfter(0, -1);
    }

    static ActiveFileScan scan(MemorySegment data, long headerLength) {
        long size = data.byteSize();
        ActiveIndex index = new ActiveIndex(1024);
        long end = headerLength;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long lastMsb = 0;
        long lastLsb = 0;
        String stopReason = null;
        while (end < size) {
            long length = RecordFrame.check(data, end, size);
            if (length < 0) {
                stopReason = RecordFrame.describe(length) + " at byte " + end;
                break;
            }
            long msb = RecordFrame.idMsb(data, end);
            long lsb = RecordFrame.idLsb(data, end);
            if (index.count() > 0 && SegmentIndex.compare(msb, lsb, lastMsb, lastLsb) <= 0) {
                stopReason = "id does not increase at byte " + end;
                break;
            }
            long timestamp = RecordFrame.timestamp(data, end);
            index.add(msb, lsb, end, (int) length);
            min = Math.min(min, timestamp);
            max = Math.max(max, timestamp);
            lastMsb = msb;
            lastLsb = lsb;
            end += length;
        }
        IntactAfter after = stopReason == null ? IntactAfter.NONE : intactAfter(data, end, lastMsb, lastLsb);
        return new ActiveFileScan(index, end, min, max, lastMsb, lastLsb, stopReason, after);
    }

    /**
     * Counts the intact records after {@code stop} whose ids keep increasing from the last good
     * one. Every byte position is a candidate; cheap field checks (length, flags, UUIDv7 version
     * and variant bits, an id above the last one) reject almost all before a checksum is computed.
     */
    static IntactAfter intactAfter(MemorySegment data, long stop, long lastMsb, long lastLsb) {
        long size = data.byteSize();
        long records = 0;
        long first = -1;
        long msb = lastMsb;
        long lsb = lastLsb;
        long p = stop + 1;
        while (p + RecordFrame.OVERHEAD <= size) {
            long length = plausible(data, p, size, msb, lsb) ? RecordFrame.check(data, p, size) : -1;
            if (length > 0) {
                records++;
                first = first < 0 ? p : first;
                msb = RecordFrame.idMsb(data, p);
                lsb = RecordFrame.idLsb(data, p);
                p += length;
            } else {
                p++;
            }
        }
        return records == 0 ? IntactAfter.NONE : new IntactAfter(records, first);
    }

    private static boolean plausible(MemorySegment data, long p, long size, long lastMsb, long lastLsb) {
        long body = RecordFrame.bodyLength(data, p);
        if (body <= RecordFrame.BODY_HEADER || p + RecordFrame.PREFIX + body > size) {
            return false;
        }
        if ((RecordFrame.flags(data, p) & ~RecordFrame.FLAG_COMPRESSED) != 0) {
            return false;
        }
        long msb = RecordFrame.idMsb(data, p);
        long lsb = RecordFrame.idLsb(data, p);
        boolean uuidV7 = ((msb >>> 12) & 0xF) == 7 && (lsb >>> 62) == 2;
        return uuidV7 && (lastMsb == 0 && lastLsb == 0 || SegmentIndex.compare(msb, lsb, lastMsb, lastLsb) > 0);
    }

    /** Bytes after the last good record. */
    long tailBytes(long fileSize) {
        return fileSize - end;
    }
}
