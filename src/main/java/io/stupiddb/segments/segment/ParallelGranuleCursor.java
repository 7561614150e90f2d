package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.column.ColumnIndex;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A scan of a format v2 segment that uses several cores: the rows to read are cut into chunks
 * (within a granule), and each chunk is read, decompressed and filtered by a task on the
 * {@link ScanWorkers}' executor, at most {@code parallelism} chunks ahead of the reader; the
 * reader takes the chunks' matches in order, so documents still come back in id order and the
 * cursor is still the last id returned.
 *
 * <p>Granules are planned on the reader's thread as it reaches them (time range from the granule
 * table, then the column planner): granules and chunks that cannot match are never submitted.
 * Chunks start small and double ({@link ChunkedScanCursor#FIRST_CHUNK}), so a reader that wants
 * a few documents (a small page) costs little more than a sequential scan.
 *
 * <p>The chunks, their order, memory and release are {@link ChunkedScanCursor}'s; the segment's
 * reference, taken by {@link SealedSegment#scan}, is released after every chunk has finished, so no
 * task reads an unmapped file. Not thread-safe (one reader).
 */
final class ParallelGranuleCursor extends ChunkedScanCursor {
    private final SealedSegment segment;
    private final ColumnIndex columns;
    private final ScanSpec spec;

    /** Next row to submit: granule and row within it; {@link #plan} for that granule. */
    private int granule;

    private int row;
    private GranulePlan plan;

    ParallelGranuleCursor(SealedSegment segment, ColumnIndex columns, long start, ScanSpec spec, ScanWorkers workers) {
        super(segment.id(), workers);
        this.segment = segment;
        this.columns = columns;
        this.spec = spec;
        if (start >= segment.footer().documents()) {
            this.granule = columns.granules();
        } else {
            this.granule = (int) (start / columns.granuleRows());
            this.row = (int) (start - columns.firstOrdinal(granule));
        }
    }

    /** The next chunk of candidate rows; granules and rows that cannot match are never submitted. */
    @Override
    protected Supplier<List<Match>> nextChunk() {
        while (granule < columns.granules()) {
            if (plan == null) {
                plan = GranulePlan.of(columns, granule, spec).orElse(null);
                if (plan == null) {
                    nextGranule();
                    continue;
                }
            }
            int rows = columns.rows(granule);
            if (plan.candidates() != null) {
                row = plan.candidates().next(row);
                if (row < 0) {
                    nextGranule();
                    continue;
                }
            }
            int from = row;
            int to = Math.min(rows, from + nextChunkRows());
            int g = granule;
            GranulePlan p = plan;
            row = to;
            if (row >= rows) {
                nextGranule();
            }
            return () -> readChunk(g, p, from, to);
        }
        return null;
    }

    private void nextGranule() {
        granule++;
        row = 0;
        plan = null;
    }

    /** On a worker: the matches among rows [from, to) of granule {@code g}, ending with the damaged record that stopped it. */
    private List<Match> readChunk(int g, GranulePlan plan, int from, int to) {
        List<Match> matches = new ArrayList<>();
        try {
            readRows(g, plan, from, to, matches);
        } catch (CorruptRecordException e) {
            matches.add(Match.failed(e));
        }
        return matches;
    }

    private void readRows(int g, GranulePlan plan, int from, int to, List<Match> matches) {
        long first = columns.firstOrdinal(g);
        byte[] buffer = new byte[1024];
        for (int r = from; r < to && !stopped(); r++) {
            if (plan.candidates() != null) {
                r = plan.candidates().next(r);
                if (r < 0 || r >= to) {
                    break;
                }
            }
            long ordinal = first + r;
            long offset = segment.checkedRecordOffset(ordinal);
            long timestamp = RecordFrame.timestamp(segment.mapping(), offset);
            if (!spec.inRange(timestamp)) {
                continue;
            }
            int raw = RecordFrame.rawLength(segment.mapping(), offset);
            if (buffer.length < raw) {
                buffer = new byte[Math.max(raw, buffer.length * 2)];
            }
            segment.decode(ordinal, offset, buffer); // a damaged payload is that record's damage
            if (plan.certainlyMatches(r) || spec.filter().test(ByteBuffer.wrap(buffer, 0, raw))) {
                matches.add(new Match(
                        new UUID(
                                RecordFrame.idMsb(segment.mapping(), offset),
                                RecordFrame.idLsb(segment.mapping(), offset)),
                        timestamp,
                        Arrays.copyOf(buffer, raw),
                        null));
            }
        }
    }

    @Override
    protected void releaseSegment() {
        segment.releaseReference();
    }
}
