package io.stupiddb.segments.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged jar as users run it ({@code java -jar target/quarkus-app/quarkus-run.jar}):
 * starts on an empty data directory, takes writes, seals the active segment on SIGTERM, passes
 * {@code segment-tool verify}, and serves the same documents after a restart.
 */
class PackagedJarIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dataDir;
    private Process process;
    private int apiPort;
    private int managementPort;

    @BeforeEach
    void setUp() throws IOException {
        // ./mvnw verify -Dnative builds the native executable instead of the jar (SmokeIT runs it).
        Properties artifact = new Properties();
        try (var in = Files.newInputStream(Path.of("target/quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        assumeTrue("jar".equals(artifact.getProperty("type")),
                "the build made a " + artifact.getProperty("type") + " artifact, not the jar this test runs");
        dataDir = Files.createTempDirectory("jar-it");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (dataDir == null) {
            return; // skipped
        }
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private long start() throws Exception {
        apiPort = freePort();
        managementPort = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long begin = System.nanoTime();
        process = new ProcessBuilder(java, "-Dquarkus.http.port=" + apiPort,
                "-Dquarkus.management.port=" + managementPort, "-Dsegments.min-free-disk=0", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
                .directory(dataDir.toFile()).start();
        Files.createDirectories(dataDir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (get("http://localhost:" + managementPort + "/q/health/ready").statusCode() == 200) {
                    return (System.nanoTime() - begin) / 1_000_000;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(process.isAlive(), "the service exited during start-up");
            Thread.sleep(100);
        }
        throw new AssertionError("not ready within 60 s");
    }

    @Test
    void startWriteStopSealsRestartReads() throws Exception {
        long readyMillis = start();
        System.out.println("packaged jar ready after " + readyMillis + " ms (empty data directory)");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(api("/api/v1/documents"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + ",\"msg\":\"hello\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            ids.add(created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
        }
        Path data = dataDir.resolve("data");
        try (Stream<Path> files = Files.list(data)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".active")), "data under ./data by default");
        }
        process.destroy(); // SIGTERM: graceful shutdown
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        try (Stream<Path> files = Files.list(data)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".active")), "active segment sealed: " + names);
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".seg")), names.toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process tool = new ProcessBuilder(java, "-jar", JAR.toAbsolutePath().toString(), "segment-tool", "verify",
                data.toString()).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes());
        assertEquals(0, tool.waitFor(), output);
        assertTrue(output.contains("all good"), output);

        start();
        for (String id : ids) {
            assertEquals(200, get("http://localhost:" + apiPort + "/api/v1/documents/" + id).statusCode());
        }
    }

    private URI api(String path) {
        return URI.create("http://localhost:" + apiPort + path);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
