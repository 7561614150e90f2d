package io.stupiddb.segments.segment;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What the scans on several cores share ({@link ParallelGranuleCursor} for sealed v2 segments,
 * {@link ParallelActiveCursor} for the active one): a subclass cuts the segment into chunks of
 * rows, each read on the {@link ScanWorkers}' executor, at most {@code parallelism} ahead of the
 * reader; the reader takes the chunks' matches in submission order, so documents come back in id
 * order. A chunk that stops at a failure ends with it: the reader gets the chunk's documents
 * before it, then the failure, as from a sequential scan.
 *
 * <p>Memory: at most {@code parallelism} chunks of matches (copies of their documents). The
 * segment is released ({@link #releaseSegment}) only after every submitted chunk has finished, so
 * no chunk reads a closed file. Not thread-safe (one reader).
 */
abstract class ChunkedScanCursor extends SegmentCursor {
    /**
     * Rows of the first chunk; each next one is twice as long, up to {@link #MAX_CHUNK}: a small
     * page costs little more than a sequential read.
     */
    static final int FIRST_CHUNK = 64;

    static final int MAX_CHUNK = 1024;

    private final ScanWorkers workers;
    private int chunkRows = FIRST_CHUNK;
    private final ArrayDeque<CompletableFuture<List<Match>>> inFlight = new ArrayDeque<>();
    private volatile boolean stopped;

    private List<Match> current = List.of();
    private int currentIndex;

    /** A document a chunk found, copied out of the segment; or, last in its chunk, the failure it stopped at. */
    record Match(UUID id, long timestamp, byte[] source, RuntimeException failure) {
        static Match failed(RuntimeException failure) {
            return new Match(null, 0, null, failure);
        }
    }

    ChunkedScanCursor(String segmentId, ScanWorkers workers) {
        super(segmentId);
        this.workers = workers;
    }

    /**
     * The next chunk's work, to run on a worker; null when no chunk is left. Called on the
     * reader's thread, in order.
     */
    protected abstract Supplier<List<Match>> nextChunk();

    /** Releases the reference the scan holds on its segment; called once, after every chunk has finished. */
    protected abstract void releaseSegment();

    /** Rows for the next chunk: {@link #FIRST_CHUNK}, then twice as many each time, up to {@link #MAX_CHUNK}. */
    protected final int nextChunkRows() {
        int rows = chunkRows;
        chunkRows = Math.min(MAX_CHUNK, chunkRows * 2);
        return rows;
    }

    /** Whether the reader has left: chunks still running stop early. */
    protected final boolean stopped() {
        return stopped;
    }

    @Override
    public final boolean advance() {
        checkOpen();
        while (true) {
            if (currentIndex < current.size()) {
                Match match = current.get(currentIndex++);
                if (match.failure() != null) {
                    throw match.failure();
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

    private void submitAhead() {
        while (inFlight.size() < workers.parallelism()) {
            Supplier<List<Match>> chunk = nextChunk();
            if (chunk == null) {
                return;
            }
            inFlight.add(CompletableFuture.supplyAsync(chunk, workers.executor()));
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

    @Override
    protected final void release() {
        stopped = true;
        // Every submitted chunk finishes (quickly, once stopped) before the segment may go.
        for (CompletableFuture<List<Match>> future : inFlight) {
            try {
                future.join();
            } catch (RuntimeException e) {
                // the reader has left; a chunk's failure no longer matters
            }
        }
        inFlight.clear();
        releaseSegment();
    }
}
