package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.query.plan.BlockPlanner;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Store-level figures: get-by-id latency with 1, 100 and 1,000 segments holding the same
 * documents (it must stay flat), start-up time and heap after opening 1,000 sealed segments,
 * filtered / time-range scans with and without the block planner, and a writer's latency while a
 * big segment compacts ({@link CompactionLatency}).
 */
public final class StoreBench {
    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        boolean quick = options.contains("--quick");
        int count = options.contains("--count") ? Integer.parseInt(options.get(options.indexOf("--count") + 1))
                : quick ? 20_000 : 100_000;
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "store-bench");
        System.out.printf("# Store benchmark%n%njava %s, %d cores, %d documents, dir %s%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), count, root);
        long now = System.currentTimeMillis();
        LogWorkload workload = new LogWorkload(1, now - 23 * 3_600_000L, 23 * 3_600_000L, count);
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        List<DocumentToWrite> docs = new ArrayList<>(count);
        long rawBytes = 0;
        for (int i = 0; i < count; i++) {
            long ts = workload.timestamp(i);
            byte[] source = msgpack.writeValueAsBytes(workload.event(ts));
            rawBytes += source.length;
            docs.add(DocumentToWrite.at(source, ts));
        }
        System.out.println("Segments compacted to format v2 in the background; the load waits for the compaction"
                + " (awaitIdle) before the store is closed and reopened.");
        System.out.println();
        System.out.println("| segments | compaction wait after the load (ms) | open (ms) | heap after open (MB) | gets/s"
                + " | p50 µs | p99 µs |");
        System.out.println("|---|---|---|---|---|---|---|");
        double[] compactionWait = new double[1];
        Path thousand = null;
        for (int segments : new int[] {1, 100, 1000}) {
            Path dir = root.resolve("s" + segments);
            StoreConfig config = StoreConfig.builder(dir).maxSegmentAge(Duration.ofDays(365)).maxSegmentSize(1L << 30)
                    .fsync(DurabilityMode.NEVER).minFreeDisk(0).build();
            List<UUID> ids = new ArrayList<>(count);
            try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
                int perSegment = count / segments;
                int batch = Math.min(100, perSegment);
                for (int i = 0; i < count; i += batch) {
                    for (WrittenDocument w : store.write(docs.subList(i, Math.min(count, i + batch)))) {
                        ids.add(w.id());
                    }
                    if ((i + batch) % perSegment == 0) {
                        store.rotate(RotationReason.MANUAL);
                    }
                }
                long wait = System.nanoTime();
                if (!store.compaction().awaitIdle(Duration.ofHours(1))) {
                    throw new IllegalStateException("compaction still busy after 1 h");
                }
                compactionWait[0] = (System.nanoTime() - wait) / 1e6;
            }
            System.gc();
            long heapBefore = usedHeap();
            long start = System.nanoTime();
            SegmentStore store = SegmentStore.open(config, InstantSource.system());
            double openMillis = (System.nanoTime() - start) / 1e6;
            System.gc();
            double heapMb = (usedHeap() - heapBefore) / 1e6;
            int gets = 200_000;
            Gets timed = randomGets(store, ids, 50_000, gets);
            long[] latencies = timed.sortedNanos();
            System.out.printf("| %d | %.0f | %.0f | %.1f | %.0f | %.1f | %.1f |%n", store.segments().size(),
                    compactionWait[0], openMillis, heapMb, timed.perSecond(), latencies[gets / 2] / 1e3,
                    latencies[gets * 99 / 100] / 1e3);
            if (segments == 1000) {
                scans(store, rawBytes, count, now);
            }
            store.close();
        }
        CompactionLatency.run(root, docs, rawBytes, quick);
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The query-2 filter over the whole store and over one hour, without and with the block planner. */
    private static void scans(SegmentStore store, long rawBytes, int count, long now) {
        BlockPlanner planner = BlockPlanner.compile(QuerySet.FILTER);
        System.out.println();
        System.out.println("| scan (1,000 segments, v2), filter level=error and http.status>=500 | docs in range | matches"
                + " | ms | docs/s of the range | MB/s of MessagePack in range |");
        System.out.println("|---|---|---|---|---|---|");
        long from = now - 12 * 3_600_000L;
        long to = from + 3_600_000L;
        scanRow("full, filter on every document (no planner)", store,
                ScanSpec.filtered(planner.filter()::matches), count, rawBytes, false);
        scanRow("full, planned on the column index", store,
                OurStorePeer.planned(Long.MIN_VALUE, Long.MAX_VALUE, planner), count, rawBytes, false);
        scanRow("1-hour range (other segments skipped by footer), no planner", store,
                new ScanSpec(from, to, null, planner.filter()::matches), count / 23, rawBytes / 23, true);
        scanRow("1-hour range, planned", store, OurStorePeer.planned(from, to, planner), count / 23, rawBytes / 23,
                true);
    }

    /** One scan row: best of 3 after 2 warm-up rounds; the range's size is approximate for the hour (~1/23). */
    private static void scanRow(String name, SegmentStore store, ScanSpec spec, long docs, long bytes,
                                boolean approximate) {
        double[] run = FormatV2Bench.bestNanos(store::scan, spec);
        double seconds = run[0] / 1e9;
        System.out.printf("| %s | %s%d | %.0f | %.1f | %.0f | %.0f |%n", name, approximate ? "~" : "", docs,
                run[1], run[0] / 1e6, docs / seconds, bytes / seconds / 1e6);
    }

    /** Sorted latencies (ns) of timed random gets, and their rate. */
    record Gets(long[] sortedNanos, double perSecond) {
    }

    /** {@code warmup} untimed random gets, then {@code gets} timed ones (seeded: the same ids every run). */
    static Gets randomGets(SegmentStore store, List<UUID> ids, int warmup, int gets) throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < warmup; i++) {
            store.get(ids.get(random.nextInt(ids.size()))).orElseThrow();
        }
        long[] latencies = new long[gets];
        long start = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            long t0 = System.nanoTime();
            store.get(ids.get(random.nextInt(ids.size()))).orElseThrow();
            latencies[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Gets(latencies, gets / seconds);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
