package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.testing.ServiceLauncher;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service over HTTP on loopback, side by side with its baselines in one run: NDJSON batch
 * ingest against the engine called in-process with the same documents; GET by id against
 * {@code GET /api/v1/ping} (a no-op endpoint of the same app); start-up to ready of the
 * packaged jar with an empty and with a 1,000-segment data directory.
 */
public final class HttpBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Start-up to ready of a 1,000-segment data directory on a busy machine stays far below this. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(10);

    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int count = quick ? 20_000 : 100_000;
        int batch = 1000;
        int clients = 2;
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "http-bench");
        System.out.printf("# HTTP benchmark%n%njava %s, %d cores, %d documents, NDJSON batches of %d, %d clients, "
                        + "fsync always, loopback%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), count, batch, clients);
        ObjectMapper json = new ObjectMapper();
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        long now = System.currentTimeMillis();
        LogWorkload workload = new LogWorkload(3, now - 3_600_000L, 3_500_000L, count);
        List<byte[]> bodies = new ArrayList<>();
        List<List<DocumentToWrite>> batches = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        List<DocumentToWrite> current = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ts = workload.timestamp(i);
            ObjectNode event = workload.event(ts);
            body.append(json.writeValueAsString(event)).append('\n');
            current.add(DocumentToWrite.at(msgpack.writeValueAsBytes(event), ts));
            if (current.size() == batch) {
                bodies.add(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                batches.add(current);
                body.setLength(0);
                current = new ArrayList<>();
            }
        }

        // In-process baseline: the engine with the same batches, the same clients, fsync always.
        Path engineDir = root.resolve("engine");
        double engineRate;
        try (SegmentStore store = SegmentStore.open(StoreConfig.builder(engineDir).minFreeDisk(0).build(), InstantSource.system())) {
            engineRate = run(clients, batches.size(), i -> store.write(batches.get(i)).size());
        }

        Path serviceDir = root.resolve("service");
        Files.createDirectories(serviceDir);
        ServiceLauncher service = service(serviceDir);
        service.start(START_TIMEOUT);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        double httpRate = run(clients, bodies.size(), i -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(service.api("/api/v1/documents"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            JsonNode written = json.readTree(response.body());
            if (ids.size() < 50_000) {
                written.get("documents").forEach(d -> ids.add(d.get("id").asText()));
            }
            return written.get("count").asInt();
        });
        System.out.println("| ingest | docs/s | ratio |");
        System.out.println("|---|---|---|");
        System.out.printf("| engine in-process, %d writer threads | %.0f | 1.00 |%n", clients, engineRate);
        System.out.printf("| HTTP NDJSON batches, %d clients | %.0f | %.2f |%n%n", clients, httpRate,
                httpRate / engineRate);

        int getClients = 4;
        Duration window = Duration.ofSeconds(quick ? 3 : 10);
        SplittableRandom random = new SplittableRandom(9);
        List<String> sample = new ArrayList<>(ids);
        double pingRate = timed(getClients, window, () -> expect(204, service.api("/api/v1/ping")));
        double getRate = timed(getClients, window, () -> {
            String id;
            synchronized (random) {
                id = sample.get(random.nextInt(sample.size()));
            }
            expect(200, service.api("/api/v1/documents/" + id));
        });
        System.out.println("| request, " + getClients + " clients | requests/s | ratio |");
        System.out.println("|---|---|---|");
        System.out.printf("| GET /api/v1/ping (no-op) | %.0f | 1.00 |%n", pingRate);
        System.out.printf("| GET /api/v1/documents/{id} | %.0f | %.2f |%n%n", getRate, getRate / pingRate);
        service.stop();

        Path empty = root.resolve("empty");
        Files.createDirectories(empty);
        long emptyMillis = startToReady(empty);
        Path thousand = root.resolve("thousand");
        try (SegmentStore store = SegmentStore.open(StoreConfig.builder(thousand.resolve("data")).minFreeDisk(0).build(), InstantSource.system())) {
            for (int i = 0; i < 1000; i++) {
                store.write(batches.get(i % batches.size()).subList(0, 100));
                store.rotate(RotationReason.MANUAL);
            }
        }
        long thousandMillis = startToReady(thousand);
        System.out.println("| packaged jar, start to ready | ms |");
        System.out.println("|---|---|");
        System.out.printf("| empty data directory | %d |%n", emptyMillis);
        System.out.printf("| 1,000 sealed segments (100,000 documents) | %d |%n", thousandMillis);
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Starts the service in {@code dir}, stops it again; the milliseconds from launch to ready. */
    private static long startToReady(Path dir) throws Exception {
        try (ServiceLauncher service = service(dir)) {
            long millis = service.start(START_TIMEOUT);
            service.stop();
            return millis;
        }
    }

    interface Step {
        int run(int index) throws Exception;
    }

    /** Runs steps 0..n-1 on {@code clients} threads; returns units/s. */
    private static double run(int clients, int n, Step step) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong units = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    units.addAndGet(step.run(i));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return units.get() / seconds;
    }

    interface Call {
        void run() throws Exception;
    }

    /** Calls as fast as {@code clients} threads can for {@code window} (after a 1 s warm-up); requests/s. */
    static double timed(int clients, Duration window, Call call) throws Exception {
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < warm) {
            call.run();
        }
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + window.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    call.run();
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void expect(int status, URI uri) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != status) {
            throw new IllegalStateException(uri + ": " + response.statusCode());
        }
    }

    /**
     * The packaged jar in {@code dir} (data under dir/data, output appended to dir/service.log) as
     * every HTTP benchmark runs it: 1 GiB heap, WARN logging. Start it with {@link #START_TIMEOUT}.
     */
    static ServiceLauncher service(Path dir) {
        return new ServiceLauncher(dir, dir.resolve("service.log")).jvmOptions(List.of("-Xmx1g"))
                .set("quarkus.log.level", "WARN");
    }
}
