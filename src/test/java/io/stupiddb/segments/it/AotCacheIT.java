package io.stupiddb.segments.it;

import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JDK AOT cache of the packaged service (README "Start-up"). {@code ./mvnw package} leaves
 * {@code target/quarkus-app/app.aot} (pom.xml runs {@code src/main/bin/aot-train} on the package;
 * Quarkus' own recording is off, so the integration tests do not replace it);
 * a start with it and {@code -XX:AOTMode=on} (a cache
 * the JVM cannot use fails the start instead of being ignored) must be ready and serve, and
 * {@code src/main/bin/segment-store} must pass it. {@code src/main/bin/aot-train} (what the
 * container image runs) must train a usable cache from a request workload.
 */
class AotCacheIT {
    private static final Path APP = ServiceLauncher.JAR.getParent();
    private static final Path CACHE = APP.resolve("app.aot");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        // ./mvnw verify -Dnative builds the native executable instead of the jar: no JVM, no cache.
        Properties artifact = new Properties();
        try (var in = Files.newInputStream(Path.of("target/quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        assumeTrue("jar".equals(artifact.getProperty("type")), "the build made no jar");
        dir = Files.createTempDirectory("aot-it");
        assertTrue(Files.isRegularFile(CACHE), "./mvnw package made " + CACHE);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (dir != null) {
            TestFiles.deleteRecursively(dir);
        }
    }

    @Test
    void theBuildsCacheIsUsed() throws Exception {
        assertServesWith(CACHE);
    }

    @Test
    void aotTrainTrainsAUsableCacheFromRequests() throws Exception {
        Path trained = dir.resolve("trained.aot");
        List<String> command = List.of(
                "src/main/bin/aot-train",
                "--java",
                java(),
                "--port",
                Integer.toString(ServiceLauncher.freePort()),
                "--management-port",
                Integer.toString(ServiceLauncher.freePort()),
                "--output",
                trained.toString(),
                APP.toString());
        Process train = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(train.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(train.waitFor(10, TimeUnit.MINUTES), "aot-train ended");
        assertEquals(0, train.exitValue(), output);
        assertTrue(Files.size(trained) > 1_000_000, "a cache of some size: " + Files.size(trained));

        assertServesWith(trained);
    }

    @Test
    void theLauncherUsesTheCacheNextToTheJar() throws Exception {
        Process print = new ProcessBuilder("src/main/bin/segment-store", "--print-command")
                .redirectErrorStream(true)
                .start();
        String command = new String(print.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, print.waitFor());
        assertTrue(command.contains("-XX:AOTCache=" + CACHE.toRealPath() + " -jar "), command);
    }

    /**
     * Starts the service with {@code cache} and {@code -XX:AOTMode=on} (an unusable cache fails
     * the start), writes and reads back a document, stops it; the JVM logged no error.
     */
    private void assertServesWith(Path cache) throws Exception {
        try (ServiceLauncher service = new ServiceLauncher(dir, dir.resolve("service.log"))
                .jvmOptions(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"))) {
            service.start();
            writeAndReadBack(service);
            service.stop(); // SIGTERM (the JVM exits with 143); fails if the service does not stop
            assertFalse(service.logOfLastStart().contains("[error"), service.logOfLastStart());
        }
    }

    /** Writes one document, reads it back by id. */
    private void writeAndReadBack(ServiceLauncher service) throws Exception {
        HttpResponse<String> written = http.send(
                HttpRequest.newBuilder(service.api("/api/v1/documents"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"level\":\"info\",\"aot\":true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, written.statusCode(), written.body());
        String id = written.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(service.api("/api/v1/documents/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode());
        assertTrue(read.body().contains("\"aot\":true"), read.body());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
