package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.testing.ServiceLauncher;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Three nodes of the packaged jar on this machine: GET latency and scan throughput through a
 * non-owner node against the owner directly, in one run.
 */
public final class ClusterBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int count = quick ? 10_000 : 50_000;
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "cluster-bench");
        int[] ports = {ServiceLauncher.freePort(), ServiceLauncher.freePort(), ServiceLauncher.freePort()};
        String peers = "0=http://localhost:" + ports[0] + ",1=http://localhost:" + ports[1] + ",2=http://localhost:"
                + ports[2];
        List<ServiceLauncher> nodes = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            Path dir = Files.createDirectories(root.resolve("node-" + node));
            ServiceLauncher service = HttpBench.service(dir).apiPort(ports[node])
                    .set("segments.node-id", Integer.toString(node)).set("segments.cluster.peers", peers)
                    .set("segments.fsync", "never");
            service.start(HttpBench.START_TIMEOUT);
            nodes.add(service);
        }
        System.out.printf("# Cluster benchmark%n%njava %s, %d cores, 3 nodes on loopback, %d documents on node 0%n%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), count);
        ObjectMapper json = new ObjectMapper();
        LogWorkload workload = new LogWorkload(4, System.currentTimeMillis() - 3_600_000L, 3_500_000L, count);
        List<String> ids = new ArrayList<>();
        for (int start = 0; start < count; start += 1000) {
            StringBuilder body = new StringBuilder();
            for (int i = start; i < start + 1000; i++) {
                body.append(json.writeValueAsString(workload.event(workload.timestamp(i)))).append('\n');
            }
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(nodes.get(0).api("/api/v1/documents"))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(
                            body.toString(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode doc : json.readTree(created.body()).get("documents")) {
                ids.add(doc.get("id").asText());
            }
        }
        SplittableRandom random = new SplittableRandom(1);
        Duration window = Duration.ofSeconds(quick ? 3 : 8);
        double[] owner = latency(nodes.get(0), ids, random, window);
        double[] other = latency(nodes.get(1), ids, random, window);
        System.out.println("| GET by id, 1 client | requests/s | p50 µs | p99 µs | ratio |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf("| owner (node 0) directly | %.0f | %.0f | %.0f | 1.00 |%n", owner[0], owner[1], owner[2]);
        System.out.printf("| through node 1 (forwarded) | %.0f | %.0f | %.0f | %.2f |%n%n", other[0], other[1],
                other[2], other[0] / owner[0]);

        double direct = scan(nodes.get(0).api("/api/v1/documents"), true);
        double fanned = scan(nodes.get(1).api("/api/v1/documents"), false);
        System.out.println("| full NDJSON scan | docs/s | ratio |");
        System.out.println("|---|---|---|");
        System.out.printf("| owner node 0, its own data only (forwarded header) | %.0f | 1.00 |%n", direct);
        System.out.printf("| through node 1: fan-out to 3 nodes, merged | %.0f | %.2f |%n", fanned, fanned / direct);
        for (ServiceLauncher node : nodes) {
            node.stop();
        }
    }

    private static double[] latency(ServiceLauncher node, List<String> ids, SplittableRandom random,
                                    Duration window) throws Exception {
        List<Long> samples = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        long start = System.nanoTime();
        while (System.nanoTime() < end) {
            String id = ids.get(random.nextInt(ids.size()));
            long t0 = System.nanoTime();
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(node.api("/api/v1/documents/" + id))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + id + ": " + response.statusCode());
            }
            samples.add(System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        samples.sort(null);
        return new double[] {samples.size() / seconds, samples.get(samples.size() / 2) / 1e3,
            samples.get(samples.size() * 99 / 100) / 1e3};
    }

    private static double scan(URI uri, boolean localOnly) throws Exception {
        double best = 0;
        for (int round = 0; round < 3; round++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/x-ndjson");
            if (localOnly) {
                request.header("X-Segment-Store-Forwarded", "bench");
            }
            long start = System.nanoTime();
            long lines = 0;
            try (InputStream body = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()).body()) {
                byte[] buffer = new byte[65536];
                int n;
                while ((n = body.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            best = Math.max(best, lines / ((System.nanoTime() - start) / 1e9));
        }
        return best;
    }
}
