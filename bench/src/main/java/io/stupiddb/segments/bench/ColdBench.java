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
 * latency and a 1-hour filtered scan, with the read-back cache cold (every segment read is a
 * download of the whole object) and warm (mapped copies), beside the sealed segments.
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
                coldGets(store, ids);
            }
            try (SegmentStore store = SegmentStore.open(config, InstantSource.system())) {
                hourScan(store, now, "archived, cache cold (downloads the hour's segments)", 1);
                hourScan(store, now, "archived, cache warm", 5);
                measure(store, "archived, cache warm", ids, now);
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

    /** After a restart (empty cache): one get per segment, each a download of the whole object. */
    private static void coldGets(SegmentStore store, List<UUID> ids) throws Exception {
        ColdTier cold = store.coldTier().orElseThrow();
        List<UUID> firstOfEach = new ArrayList<>();
        store.segments().forEach(s -> ids.stream()
                .filter(s::mayContain)
                .findFirst()
                .ifPresent(firstOfEach::add));
        long[] latencies = new long[firstOfEach.size()];
        for (int i = 0; i < latencies.length; i++) {
            long t0 = System.nanoTime();
            store.get(firstOfEach.get(i)).orElseThrow();
            latencies[i] = System.nanoTime() - t0;
        }
        Arrays.sort(latencies);
        System.out.printf(
                "| archived, cache cold | get by id (first of its segment: downloads it) | %d | %.1f ms | %.1f ms | %d downloads |%n",
                latencies.length,
                latencies[latencies.length / 2] / 1e6,
                latencies[latencies.length * 99 / 100] / 1e6,
                cold.downloads());
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
