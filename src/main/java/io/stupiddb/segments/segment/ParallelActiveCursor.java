package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.PayloadDecompressor;
import io.stupiddb.segments.format.RecordFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A scan of the active segment that uses several cores, as {@link ParallelGranuleCursor} does for
 * sealed ones: the records of the scan's view are cut into chunks of ordinals, and each chunk is
 * read (its own {@link ActiveRecordReader}, windows of positional reads), checked, decompressed
 * and filtered by a task on the {@link ScanWorkers}' executor, at most {@code parallelism} chunks
 * ahead of the reader, which takes the matches in order: documents still come back in id order.
 * The last hour is usually in the active segment, and read by one thread it used one core of the
 * scan's two (docs/BENCHMARKS.md, round 5).
 *
 * <p>Chunks start at {@value #FIRST_CHUNK} records and double up to {@value #MAX_CHUNK}, so a
 * small page costs little more than a sequential read. A record that fails its checks ends its
 * chunk: the reader gets the chunk's matches before it, then the failure, as from the sequential
 * cursor. The segment's reference is released only after every submitted chunk has finished, so
 * the channel stays open for them. Not thread-safe (one reader).
 */
final class ParallelActiveCursor extends SegmentCursor {
    static final int FIRST_CHUNK = 64;
    static final int MAX_CHUNK = 1024;

    private final ActiveIndex.View view;
    private final ScanSpec spec;
    private final FileChannel channel;
    private final Path path;
    private final PayloadDecompressor decompressor;
    private final Runnable releaseSegment;
    private final ScanWorkers workers;
    private final ArrayDeque<CompletableFuture<List<Match>>> inFlight = new ArrayDeque<>();
    private volatile boolean stopped;

    /** The next ordinal to submit. */
    private int next;

    private int chunk = FIRST_CHUNK;
    private List<Match> current = List.of();
    private int currentIndex;

    /** A document a chunk found, copied out of its reader; or, last in its chunk, the failure it stopped at. */
    private record Match(UUID id, long timestamp, byte[] source, RuntimeException failure) {}

    /**
     * @param start          the first ordinal of {@code view} to read
     * @param releaseSegment releases the reference the scan holds on the segment (once, at the end)
     */
    ParallelActiveCursor(
            String segmentId,
            ActiveIndex.View view,
            int start,
            ScanSpec spec,
            FileChannel channel,
            Path path,
            PayloadDecompressor decompressor,
            Runnable releaseSegment,
            ScanWorkers workers) {
        super(segmentId);
        this.view = view;
        this.next = start;
        this.spec = spec;
        this.channel = channel;
        this.path = path;
        this.decompressor = decompressor;
        this.releaseSegment = releaseSegment;
        this.workers = workers;
    }

    @Override
    public boolean advance() {
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
            CompletableFuture<List<Match>> ahead = inFlight.poll();
            if (ahead == null) {
                return end();
            }
            current = await(ahead);
            currentIndex = 0;
        }
    }

    private static List<Match> await(CompletableFuture<List<Match>> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Submits chunks until {@code parallelism} are in flight or the view is done. */
    private void submitAhead() {
        while (inFlight.size() < workers.parallelism() && next < view.count()) {
            int from = next;
            int to = (int) Math.min(view.count(), (long) from + chunk);
            chunk = Math.min(MAX_CHUNK, chunk * 2);
            inFlight.add(CompletableFuture.supplyAsync(() -> readChunk(from, to), workers.executor()));
            next = to;
        }
    }

    /** On a worker: the matches among ordinals [from, to), ending with the failure that stopped it, if one did. */
    private List<Match> readChunk(int from, int to) {
        List<Match> matches = new ArrayList<>();
        ActiveRecordReader reader = new ActiveRecordReader(channel, path, ActiveRecordReader.SCAN_WINDOW);
        byte[] buffer = new byte[1024];
        try {
            for (int ordinal = from; ordinal < to && !stopped; ordinal++) {
                reader.read(view, ordinal);
                long timestamp = RecordFrame.timestamp(reader.data(), 0);
                if (!spec.inRange(timestamp)) {
                    continue;
                }
                int raw = RecordFrame.rawLength(reader.data(), 0);
                if (buffer.length < raw) {
                    buffer = new byte[Math.max(raw, buffer.length * 2)];
                }
                decompressor.decode(reader.data(), 0, buffer);
                if (spec.filter().test(ByteBuffer.wrap(buffer, 0, raw))) {
                    matches.add(new Match(
                            new UUID(view.msb()[ordinal], view.lsb()[ordinal]),
                            timestamp,
                            Arrays.copyOf(buffer, raw),
                            null));
                }
            }
        } catch (IOException e) {
            matches.add(new Match(null, 0, null, new UncheckedIOException("reading " + path, e)));
        } catch (RuntimeException e) {
            matches.add(new Match(null, 0, null, e));
        }
        return matches;
    }

    @Override
    protected void release() {
        stopped = true;
        // Every submitted chunk finishes (quickly, once stopped) before the channel may close.
        for (CompletableFuture<List<Match>> future : inFlight) {
            try {
                future.join();
            } catch (RuntimeException e) {
                // the reader has left; a chunk's failure no longer matters
            }
        }
        inFlight.clear();
        releaseSegment.run();
    }
}
