package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.cold.ColdSettings;
import io.stupiddb.segments.cold.ColdTier;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.S3ProxyServer;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The cold tier (README "Cold tier on object storage"): the same 23 hourly segments sealed on
 * the volume, then archived to S3Proxy on loopback (filesystem backend, a child JVM); get-by-id
 * latency and a 1-hour filtered scan beside the sealed segments: with the cache empty (a get
 * fetches the segment's index, two ranged GETs, then its record), with the index cached (one
 * ranged GET per get; scans stream their records in blocks), and hot (the records filled into
 * the cache after {@link ColdTier#FILL_AFTER_GETS} gets: read like sealed segments).
 */
public final class ColdBench {
    private ColdBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int count = quick ? 20_000 : 100_000;
        int hours = 23;
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "cold-bench");
        System.out.printf(
                "# Cold tier benchmark%n%njava %s, %d cores, %d documents in %d hourly segments, S3Proxy on loopback, dir %s%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), count, hours, root);
        long now = System.currentTimeMillis();
        long start = now - hours * 3_600_000L;
        LogWorkload workload = new LogWorkload(1, start, hours * 3_600_000L, count);
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        List<DocumentToWrite> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ts = workload.timestamp(i);
            docs.add(DocumentToWrite.at(msgpack.writeValueAsBytes(workload.event(ts)), ts));
        }
        try (S3ProxyServer s3 = S3ProxyServer.start(root.resolve("s3"), "bench")) {
            ColdSettings cold = s3.settings("bench", 4L << 30);
            StoreConfig config = StoreConfig.builder(root.resolve("data"))
                    .maxSegmentAge(Duration.ofDays(365))
                    .maxSegmentSize(1L << 30)
                    .fsync(DurabilityMode.NEVER)
                    .minFreeDisk(0)
                    .archiveAfter(Duration.ofMillis(1))
                    .coldTier(cold)
                    .build();
            List<UUID> ids = new ArrayList<>(count);
            try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
                long hourEnd = start + 3_600_000L;
                for (int i = 0; i < count; i += 100) {
                    List<DocumentToWrite> batch = docs.subList(i, Math.min(count, i + 100));
                    for (WrittenDocument w : store.write(batch)) {
                        ids.add(w.id());
                    }
                    long last = batch.getLast().timestamp().getAsLong();
                    if (last >= hourEnd) {
                        store.rotate(RotationReason.MANUAL);
                        hourEnd += 3_600_000L;
                    }
                }
                store.rotate(RotationReason.MANUAL);
                System.out.println("| tier | what | n | p50 | p99 | total |");
                System.out.println("|---|---|---|---|---|---|");
                measure(store, "sealed (local, mapped)", ids, now);
                Thread.sleep(5);
                long t0 = System.nanoTime();
                int archived = store.archiveDue().size();
                double seconds = (System.nanoTime() - t0) / 1e9;
                long bytes = store.coldTier().orElseThrow().infos().stream()
                        .mapToLong(s -> s.sizeBytes())
                        .sum();
                System.out.printf(
                        "| archive | upload %d segments (rewrite at level 19 + upload + verify) | %d | - | - | %.1f s, %.1f MB in the bucket |%n",
                        archived, archived, seconds, bytes / 1e6);
            }
            try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
                // The cache is empty after a restart: the first get of each segment fetches its index.
                List<List<UUID>> perSegment = idsPerSegment(store, ids);
                coldGets(store, perSegment, 0, 1, "archived, index not cached | get by id (index fetch + record GET)");
                coldGets(store, perSegment, 1, 10, "archived, index cached | get by id (one ranged GET)");
                hourScan(store, now, "archived, index cached (records streamed in blocks)", 5);
                // Hot: FILL_AFTER_GETS gets by ranged GET per segment, then its records are filled in.
                coldGets(
                        store,
                        perSegment,
                        11,
                        ColdTier.FILL_AFTER_GETS - 10,
                        "archived, index cached | get by id (one ranged GET; the last ones start the fills)");
                awaitHot(store);
                measure(store, "archived, hot (records in the cache)", ids, now);
            }
            try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
                hourScan(store, now, "archived, cache cold (index fetches + records streamed)", 1);
            }
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Warm gets (after a warm-up pass) and the 1-hour filtered scan. */
    private static void measure(SegmentStore store, String tier, List<UUID> ids, long now) throws Exception {
        int gets = 100_000;
        StoreBench.Gets timed = StoreBench.randomGets(store, ids, 20_000, gets);
        long[] latencies = timed.sortedNanos();
        System.out.printf(
                "| %s | get by id | %d | %.1f µs | %.1f µs | %.0f gets/s |%n",
                tier, gets, latencies[gets / 2] / 1e3, latencies[gets * 99 / 100] / 1e3, timed.perSecond());
        hourScan(store, now, tier, 5);
    }

    /** The ids of each archived segment, in segment order. */
    private static List<List<UUID>> idsPerSegment(SegmentStore store, List<UUID> ids) {
        List<List<UUID>> perSegment = new ArrayList<>();
        store.segments().forEach(s -> perSegment.add(ids.stream().filter(s::mayContain).toList()));
        return perSegment;
    }

    /**
     * Gets of documents {@code from} to {@code from + n - 1} of every segment (in turn, so the
     * index of each is fetched once at most), with the GET requests they sent.
     */
    private static void coldGets(SegmentStore store, List<List<UUID>> perSegment, int from, int n, String what)
            throws Exception {
        ColdTier cold = store.coldTier().orElseThrow();
        List<Long> latencies = new ArrayList<>();
        long requests = cold.getRequests();
        for (int i = from; i < from + n; i++) {
            for (List<UUID> segment : perSegment) {
                if (i < segment.size()) {
                    long t0 = System.nanoTime();
                    store.get(segment.get(i)).orElseThrow();
                    latencies.add(System.nanoTime() - t0);
                }
            }
        }
        long sent = cold.getRequests() - requests;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "| %s | %d | %.2f ms | %.2f ms | %.2f GETs per get, %d index fetches so far |%n",
                what,
                sorted.length,
                sorted[sorted.length / 2] / 1e6,
                sorted[sorted.length * 99 / 100] / 1e6,
                (double) sent / sorted.length,
                cold.downloads());
    }

    /** Waits until every archived segment's records are in the cache (the fills run in the background). */
    private static void awaitHot(SegmentStore store) throws InterruptedException {
        ColdTier cold = store.coldTier().orElseThrow();
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline
                && !store.segments().stream().allMatch(s -> cold.recordsCached(s.id()))) {
            Thread.sleep(50);
        }
        System.out.printf(
                "| archived, hot | records of %d segments filled into the cache (background) | %d | - | - | %.1f s, cache %.1f MB |%n",
                store.segments().size(),
                store.segments().size(),
                (System.nanoTime() - t0) / 1e9,
                cold.cacheBytes() / 1e6);
    }

    private static void hourScan(SegmentStore store, long now, String tier, int rounds) {
        Filter filter = Filter.parse("{\"level\":\"error\",\"http.status\":{\"$gte\":500}}");
        long from = now - 12 * 3_600_000L;
        long to = from + 3_600_000L;
        long[] times = new long[rounds];
        long matches = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            matches = 0;
            try (DocumentCursor cursor = store.scan(new ScanSpec(from, to, null, filter::matches))) {
                while (cursor.advance()) {
                    matches++;
                }
            }
            times[round] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        System.out.printf(
                "| %s | 1-hour range + filter level=error and http.status>=500 | %d runs, %d matches | %.1f ms | %.1f ms | - |%n",
                tier, rounds, matches, times[rounds / 2] / 1e6, times[rounds - 1] / 1e6);
    }
}
