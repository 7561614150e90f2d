package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.column.ColumnIndex;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A scan of a format v2 segment that uses several cores: the rows to read are cut into chunks
 * (within a granule), and each chunk is read, decompressed and filtered by a task on the
 * {@link ScanWorkers}' executor, at most {@code parallelism} chunks ahead of the reader; the
 * reader takes the chunks' matches in order, so documents still come back in id order and the
 * cursor is still the last id returned.
 *
 * <p>Granules are planned on the reader's thread as it reaches them (time range from the granule
 * table, then the column planner): granules and chunks that cannot match are never submitted.
 * Chunks start at {@value #FIRST_CHUNK} rows and double up to {@value #MAX_CHUNK}, so a reader
 * that wants a few documents (a small page) costs little more than a sequential scan.
 *
 * <p>Memory: at most {@code parallelism} chunks of matches (copies of their documents) are held.
 * The segment's reference, taken by {@link SealedSegment#scan}, is released only after every
 * submitted chunk has finished, so no task reads an unmapped file. Not thread-safe (one reader).
 */
final class ParallelGranuleCursor extends SegmentCursor {
    static final int FIRST_CHUNK = 64;
    static final int MAX_CHUNK = 1024;

    private final SealedSegment segment;
    private final ColumnIndex columns;
    private final ScanSpec spec;
    private final ScanWorkers workers;
    private final ArrayDeque<CompletableFuture<List<Match>>> inFlight = new ArrayDeque<>();
    private volatile boolean stopped;

    /** Next row to submit: granule and row within it; {@link #plan} for that granule. */
    private int granule;

    private int row;
    private GranulePlan plan;
    private int chunkRows = FIRST_CHUNK;

    private List<Match> current = List.of();
    private int currentIndex;

    /**
     * One document a chunk found, copied out of the mapping; or, last in its chunk, the damaged
     * record the chunk stopped at ({@code damage}), thrown when the reader gets there, after the
     * documents before it (as a sequential scan would).
     */
    private record Match(UUID id, long timestamp, byte[] source, CorruptRecordException damage) {}

    ParallelGranuleCursor(SealedSegment segment, ColumnIndex columns, long start, ScanSpec spec, ScanWorkers workers) {
        super(segment.id());
        this.segment = segment;
        this.columns = columns;
        this.spec = spec;
        this.workers = workers;
        if (start >= segment.footer().documents()) {
            this.granule = columns.granules();
        } else {
            this.granule = (int) (start / columns.granuleRows());
            this.row = (int) (start - columns.firstOrdinal(granule));
        }
    }

    @Override
    public boolean advance() {
        checkOpen();
        while (true) {
            if (currentIndex < current.size()) {
                Match match = current.get(currentIndex++);
                if (match.damage() != null) {
                    throw match.damage();
                }
                return found(ByteBuffer.wrap(match.source()), match.id(), match.timestamp());
            }
            submitAhead();
            CompletableFuture<List<Match>> next = inFlight.poll();
            if (next == null) {
                return end();
            }
            current = await(next);
            currentIndex = 0;
        }
    }

    private static List<Match> await(CompletableFuture<List<Match>> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime; // e.g. CorruptSegmentException, as a sequential scan throws it
            }
            throw e;
        }
    }

    /** Submits chunks until {@code parallelism} are in flight or the segment is done. */
    private void submitAhead() {
        while (inFlight.size() < workers.parallelism() && granule < columns.granules()) {
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
            int to = Math.min(rows, from + chunkRows);
            chunkRows = Math.min(MAX_CHUNK, chunkRows * 2);
            int g = granule;
            GranulePlan p = plan;
            inFlight.add(CompletableFuture.supplyAsync(() -> readChunk(g, p, from, to), workers.executor()));
            row = to;
            if (row >= rows) {
                nextGranule();
            }
        }
    }

    private void nextGranule() {
        granule++;
        row = 0;
        plan = null;
    }

    /** On a worker: the matches among rows [from, to) of granule {@code g}. */
    private List<Match> readChunk(int g, GranulePlan plan, int from, int to) {
        List<Match> matches = new ArrayList<>();
        try {
            readRows(g, plan, from, to, matches);
        } catch (CorruptRecordException e) {
            matches.add(new Match(null, 0, null, e));
        }
        return matches;
    }

    private void readRows(int g, GranulePlan plan, int from, int to, List<Match> matches) {
        long first = columns.firstOrdinal(g);
        byte[] buffer = new byte[1024];
        for (int r = from; r < to && !stopped; r++) {
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
    protected void release() {
        stopped = true;
        // Every submitted chunk finishes (quickly, once stopped) before the mapping may go.
        for (CompletableFuture<List<Match>> future : inFlight) {
            try {
                future.join();
            } catch (RuntimeException e) {
                // the reader has left; a chunk's failure no longer matters
            }
        }
        inFlight.clear();
        segment.releaseReference();
    }
}
