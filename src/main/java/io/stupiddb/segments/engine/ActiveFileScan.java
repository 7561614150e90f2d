package io.stupiddb.segments.engine;

import io.stupiddb.segments.format.SegmentIndex;

import io.stupiddb.segments.format.RecordFrame;

import java.lang.foreign.MemorySegment;

/**
 * Read-only walk over the records of an active file from the header on: verifies each record
 * and stops at the first torn or bad one, or one whose id does not increase. Recovery truncates
 * at {@link #end()}; {@code segment-tool verify} only reports it.
 */
record ActiveFileScan(ActiveIndex index, long end, long minTimestamp, long maxTimestamp, long lastMsb,
                      long lastLsb, String stopReason) {

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
        return new ActiveFileScan(index, end, min, max, lastMsb, lastLsb, stopReason);
    }

    /** Bytes after the last good record. */
    long tailBytes(long fileSize) {
        return fileSize - end;
    }
}
