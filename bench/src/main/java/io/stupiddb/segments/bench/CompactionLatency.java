package io.stupiddb.segments.bench;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Part of {@link StoreBench}: a writer's latency while a big segment is compacted in the
 * background, against the same writer with the compaction idle, in one store, per durability mode.
 *
 * <p>Steps per mode: write and compact a first segment of 5,000 documents (it trains the day's
 * dictionary, so what follows is the steady state); write documents until the active segment holds the target size (100 MB of
 * MessagePack, 20 MB with {@code --quick}; these writes also warm up the write path), rotate (the
 * seal is quick; the compaction of that segment starts on the store's compaction thread), then
 * write batches of 100 and record each {@code write} call's latency for as long as the compaction
 * is pending, one batch per 2 ms at most ({@link #PACE_NANOS}); then wait until it is idle and
 * record the same number of batches at the same pace. The second
 * phase writes into the same active segment, so both phases see the same file sizes and locks.
 * Batches written after the compaction ended are not counted in the first phase.
 *
 * <p>Not thread-safe (one writer thread; the compaction is the store's own thread).
 */
final class CompactionLatency {
    private static final int BATCH = 100;
    /**
     * The measured writer issues one batch per 2 ms (50,000 documents/s, about 42 MB/s) when it can:
     * a steady ingest rather than a writer that saturates both cores (which would also fill the
     * active segment with gigabytes while a 100 MB segment compacts). Latency is that of the write
     * call alone.
     */
    private static final long PACE_NANOS = 2_000_000L;

    private CompactionLatency() {
    }

    static void run(Path root, List<DocumentToWrite> docs, long rawBytes, boolean quick) throws Exception {
        long target = quick ? 20L << 20 : 100L << 20;
        System.out.println();
        System.out.printf("Writer latency (one thread, batches of %d, at most one per 2 ms) while a segment of %d MB of MessagePack is"
                + " compacted to v2 in the background, and with the compaction idle (same store, same active segment"
                + " afterwards):%n%n", BATCH, target >> 20);
        System.out.println("| fsync | compaction ms | compaction MB/s of MessagePack | batches measured | p50 µs during |"
                + " p99 µs during | p50 µs idle | p99 µs idle | p99 during / idle |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (DurabilityMode mode : List.of(DurabilityMode.NEVER, DurabilityMode.ALWAYS)) {
            measure(root.resolve("latency-" + mode.name().toLowerCase()), docs, rawBytes / docs.size(), target, mode);
        }
    }

    private static void measure(Path dir, List<DocumentToWrite> docs, long bytesPerDoc, long target,
                                DurabilityMode mode) throws Exception {
        StoreConfig config = StoreConfig.builder(dir).maxSegmentAge(Duration.ofDays(365)).maxSegmentSize(1L << 30)
                .fsync(mode).minFreeDisk(0).build();
        try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
            // A small first segment, compacted before anything is measured: it trains the day's dictionary,
            // so the big segment's compaction is the steady-state one (no training inside it).
            int at = 0;
            for (int i = 0; i < 50; i++) {
                at = write(store, docs, at);
            }
            store.rotate(RotationReason.MANUAL);
            if (!store.compaction().awaitIdle(Duration.ofHours(1))) {
                throw new IllegalStateException("the first compaction did not finish");
            }
            long written = 0;
            while (written < target) {
                at = write(store, docs, at);
                written += BATCH * bytesPerDoc;
            }
            long rotated = System.nanoTime();
            store.rotate(RotationReason.MANUAL);
            Histogram during = new Histogram(3_600_000_000_000L, 3);
            long next = System.nanoTime();
            while (store.compaction().pendingSegments() > 0) {
                next = pace(next);
                long t = System.nanoTime();
                at = write(store, docs, at);
                long end = System.nanoTime();
                if (store.compaction().pendingSegments() > 0) { // still overlapping: count it
                    during.recordValue(end - t);
                }
            }
            double compactionMs = (System.nanoTime() - rotated) / 1e6;
            if (!store.compaction().awaitIdle(Duration.ofHours(1)) || store.compaction().failedCompactions() > 0) {
                throw new IllegalStateException("the compaction did not finish cleanly");
            }
            Histogram idle = new Histogram(3_600_000_000_000L, 3);
            next = System.nanoTime();
            for (long i = 0; i < during.getTotalCount(); i++) {
                next = pace(next);
                long t = System.nanoTime();
                at = write(store, docs, at);
                idle.recordValue(System.nanoTime() - t);
            }
            double p99During = during.getValueAtPercentile(99) / 1e3;
            double p99Idle = idle.getValueAtPercentile(99) / 1e3;
            System.out.printf("| %s | %.0f | %.0f | %d | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
                    mode.name().toLowerCase(), compactionMs, written / (compactionMs / 1e3) / 1e6,
                    during.getTotalCount(), during.getValueAtPercentile(50) / 1e3, p99During,
                    idle.getValueAtPercentile(50) / 1e3, p99Idle, p99Idle == 0 ? Double.NaN : p99During / p99Idle);
        }
        Sys.deleteAll(dir);
    }

    /** Parks until {@code next} (when the writer is ahead of its pace); returns the time of the batch after. */
    private static long pace(long next) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        return Math.max(next, System.nanoTime() - PACE_NANOS) + PACE_NANOS;
    }

    /** Writes the next batch of the workload (cycling), returns where the next one starts. */
    private static int write(SegmentStore store, List<DocumentToWrite> docs, int at) throws IOException {
        int from = at + BATCH > docs.size() ? 0 : at;
        store.write(docs.subList(from, from + BATCH));
        return from + BATCH;
    }
}
