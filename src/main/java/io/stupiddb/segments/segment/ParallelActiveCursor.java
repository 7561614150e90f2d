package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.PayloadDecompressor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A scan of the active segment that uses several cores, as {@link ParallelGranuleCursor} does for
 * sealed ones: the records of the scan's view are cut into chunks of ordinals, and each chunk is
 * read (its own {@link ActiveRecordReader}, windows of positional reads), checked, decompressed
 * and filtered by a task on the {@link ScanWorkers}' executor, at most {@code parallelism} chunks
 * ahead of the reader, which takes the matches in order: documents still come back in id order.
 * The last hour is usually in the active segment, and read by one thread it used one core of the
 * scan's two (docs/BENCHMARKS.md, round 5).
 *
 * <p>Chunks start small and double ({@link ChunkedScanCursor#FIRST_CHUNK}). A record that fails
 * its checks ends its chunk (the reader gets the documents before it, then the failure, as from
 * the sequential cursor); the segment's reference is released after every chunk has finished,
 * so the channel stays open for them ({@link ChunkedScanCursor}). Not thread-safe (one reader).
 */
final class ParallelActiveCursor extends ChunkedScanCursor {
    private final ActiveIndex.View view;
    private final ScanSpec spec;
    private final FileChannel channel;
    private final Path path;
    private final PayloadDecompressor decompressor;
    private final Runnable releaseSegment;

    /** The next ordinal to submit. */
    private int next;

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
        super(segmentId, workers);
        this.view = view;
        this.next = start;
        this.spec = spec;
        this.channel = channel;
        this.path = path;
        this.decompressor = decompressor;
        this.releaseSegment = releaseSegment;
    }

    @Override
    protected Supplier<List<Match>> nextChunk() {
        if (next >= view.count()) {
            return null;
        }
        int from = next;
        int to = (int) Math.min(view.count(), (long) from + nextChunkRows());
        next = to;
        return () -> readChunk(from, to);
    }

    /** On a worker: the matches among ordinals [from, to), ending with the failure that stopped it, if one did. */
    private List<Match> readChunk(int from, int to) {
        List<Match> matches = new ArrayList<>();
        ActiveScanStep step = new ActiveScanStep(channel, path, decompressor, spec);
        try {
            for (int ordinal = from; ordinal < to && !stopped(); ordinal++) {
                ByteBuffer match = step.match(view, ordinal);
                if (match != null) {
                    byte[] source = new byte[match.remaining()];
                    match.get(source);
                    matches.add(
                            new Match(new UUID(view.msb(ordinal), view.lsb(ordinal)), step.timestamp(), source, null));
                }
            }
        } catch (IOException e) {
            matches.add(Match.failed(new UncheckedIOException("reading " + path, e)));
        } catch (RuntimeException e) {
            matches.add(Match.failed(e));
        }
        return matches;
    }

    @Override
    protected void releaseSegment() {
        releaseSegment.run();
    }
}
