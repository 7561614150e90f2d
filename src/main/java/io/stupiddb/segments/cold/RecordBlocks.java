package io.stupiddb.segments.cold;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The records of one archived segment as a scan reads them: blocks of whole consecutive records,
 * each fetched with one ranged GET of about {@code blockSize} bytes (a record larger than that is
 * a block of its own), the next block fetched in the background while the scan reads the current
 * one. A scan that skips ahead (granules the column index rules out) fetches from the record it
 * needs next and drops a read-ahead that does not hold it.
 *
 * <p>Memory: the current block, the one read ahead, and at most one dropped read-ahead still in
 * flight (no new read-ahead starts until it has finished): about three blocks per open scan.
 *
 * <p>Not thread-safe: one per cursor. Failures of a GET surface on the cursor's thread when it
 * needs that block ({@link ArchiveUnavailableException}, or damage).
 */
final class RecordBlocks {
    private final RemoteSegment segment;
    private final long blockSize;
    private final ExecutorService readAhead;

    private Block current;
    private Planned ahead;
    /** A read-ahead that turned out useless and may still be transferring. */
    private CompletableFuture<Block> dropped;

    /** Records {@code [first, end)} of the segment: the object's bytes {@code [start, start + bytes.length)}. */
    record Block(long first, long end, long start, MemorySegment bytes) {
        boolean holds(long ordinal) {
            return ordinal >= first && ordinal < end;
        }
    }

    /** A block being fetched: its records are known before its bytes arrive. */
    private record Planned(long first, long end, CompletableFuture<Block> bytes) {}

    RecordBlocks(RemoteSegment segment, long blockSize, ExecutorService readAhead) {
        this.segment = segment;
        this.blockSize = blockSize;
        this.readAhead = readAhead;
    }

    /** The block holding record {@code ordinal}, fetched now if it is neither current nor read ahead. */
    Block holding(long ordinal) {
        if (current != null && current.holds(ordinal)) {
            return current;
        }
        if (segment.isWhole()) { // a hot segment: every record is in the mapped file
            current = new Block(0, segment.documents(), 0, segment.mapping());
            return current;
        }
        current = null; // let it go before the next one arrives
        if (ahead != null && ordinal >= ahead.first() && ordinal < ahead.end()) {
            current = join(ahead.bytes());
        } else {
            if (ahead != null) {
                dropped = ahead.bytes();
            }
            current = fetch(ordinal, end(ordinal));
        }
        ahead = null;
        startReadAhead(current.end());
        return current;
    }

    /** Stops reading ahead (the cursor closed); a transfer under way finishes in the background. */
    void close() {
        if (ahead != null) {
            ahead.bytes().cancel(false);
            ahead = null;
        }
        current = null;
    }

    private void startReadAhead(long first) {
        if (first >= segment.documents() || (dropped != null && !dropped.isDone())) {
            return;
        }
        dropped = null;
        long end = end(first);
        // Offsets from the mapped index here, on the cursor's thread: the background thread only transfers.
        long start = segment.recordStart(first);
        long stop = segment.recordEnd(end - 1);
        try {
            ahead = new Planned(
                    first,
                    end,
                    CompletableFuture.supplyAsync(
                            () -> new Block(first, end, start, MemorySegment.ofArray(segment.fetch(start, stop))),
                            readAhead));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ahead = null; // shutting down: the cursor fetches when it needs the block
        }
    }

    /** The end (exclusive) of the block starting at record {@code first}: whole records, about blockSize bytes. */
    private long end(long first) {
        long start = segment.recordStart(first);
        long low = first + 1;
        long high = segment.documents();
        // The last record that starts within blockSize of the block's start (offsets increase with ordinals).
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (segment.recordStart(mid) - start < blockSize) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private Block fetch(long first, long end) {
        long start = segment.recordStart(first);
        long stop = segment.recordEnd(end - 1);
        return new Block(first, end, start, MemorySegment.ofArray(segment.fetch(start, stop)));
    }

    private static Block join(CompletableFuture<Block> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        } catch (CancellationException e) {
            throw new IllegalStateException("read-ahead cancelled while in use", e);
        }
    }
}
