package io.stupiddb.segments.it;

import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
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
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path dataDir;
    private ServiceLauncher service;

    @BeforeEach
    void setUp() throws IOException {
        // ./mvnw verify -Dnative builds the native executable instead of the jar (SmokeIT runs it).
        Properties artifact = new Properties();
        try (var in = Files.newInputStream(Path.of("target/quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        assumeTrue(
                "jar".equals(artifact.getProperty("type")),
                "the build made a " + artifact.getProperty("type") + " artifact, not the jar this test runs");
        dataDir = Files.createTempDirectory("jar-it");
        service = new ServiceLauncher(dataDir, dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (dataDir == null) {
            return; // skipped
        }
        service.close();
        TestFiles.deleteRecursively(dataDir);
    }

    @Test
    void startWriteStopSealsRestartReads() throws Exception {
        long readyMillis = service.start(Duration.ofSeconds(60));
        System.out.println("packaged jar ready after " + readyMillis + " ms (empty data directory)");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(service.api("/api/v1/documents"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + ",\"msg\":\"hello\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            ids.add(created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
        }
        HttpResponse<String> deleted = http.send(
                HttpRequest.newBuilder(service.api("/api/v1/documents/delete"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":{\"i\":{\"$lt\":5}}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertTrue(deleted.body().startsWith("{\"deleted\":5,"), deleted.body());
        Path data = dataDir.resolve("data");
        try (Stream<Path> files = Files.list(data)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".active")), "data under ./data by default");
        }
        service.stop(Duration.ofSeconds(30)); // SIGTERM: graceful shutdown; fails after 30 s
        try (Stream<Path> files = Files.list(data)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".active")), "active segment sealed: " + names);
            assertTrue(names.stream().anyMatch(n -> n.endsWith(".seg")), names.toString());
        }
        ServiceLauncher.ToolRun tool = ServiceLauncher.segmentTool(Duration.ofMinutes(2), "verify", data.toString());
        String output = tool.output();
        assertEquals(OptionalInt.of(0), tool.exitCode(), output);
        assertTrue(output.contains("all good"), output);

        service.start(Duration.ofSeconds(60));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(
                    i < 5 ? 404 : 200,
                    get(service.api("/api/v1/documents/" + ids.get(i))).statusCode());
        }
        // The segment, sealed at shutdown, is rewritten without the deleted documents in the
        // background (the reclaimer looks every 10 s): wait for it, generously.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String segments;
        do {
            Thread.sleep(200);
            segments = get(service.api("/api/v1/segments")).body();
        } while (segments.contains("\"deletes\"") && System.nanoTime() < deadline);
        assertTrue(segments.contains("\"documents\":15"), segments);
        assertTrue(!segments.contains("\"deletes\""), segments);
    }

    @Test
    void retentionClassesSurviveRestartsAndAClassRemovedFromTheSettingsIsStillServed() throws Exception {
        service.set("segments.retention-classes", "debug=1d,audit=400d");
        service.start(Duration.ofSeconds(60));
        HttpResponse<String> created = post(
                "/api/v1/documents", "[{\"n\":0,\"retention\":\"debug\"},{\"n\":1},{\"n\":2,\"retention\":\"audit\"}]");
        assertEquals(201, created.statusCode(), created.body());
        List<String> ids = new ArrayList<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(created.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertEquals(3, ids.size(), created.body());
        HttpResponse<String> unknown = post("/api/v1/documents", "{\"n\":3,\"retention\":\"forever\"}");
        assertEquals(422, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("unknown-retention-class"), unknown.body());
        service.stop(Duration.ofSeconds(30));
        Path data = dataDir.resolve("data");
        assertTrue(Files.isDirectory(data.resolve("classes/audit")), "a directory per class");
        ServiceLauncher.ToolRun tool = ServiceLauncher.segmentTool(Duration.ofMinutes(2), "verify", data.toString());
        assertEquals(OptionalInt.of(0), tool.exitCode(), tool.output());
        assertTrue(tool.output().contains("3 segment file(s) checked: all good"), tool.output());

        // audit removed from the settings: its documents are still served, new ones naming it are 422.
        service.set("segments.retention-classes", "debug=1d");
        service.start(Duration.ofSeconds(60));
        for (String id : ids) {
            assertEquals(200, get(service.api("/api/v1/documents/" + id)).statusCode(), id);
        }
        String audit = get(service.api("/api/v1/documents/" + ids.get(2))).body();
        String segment = audit.replaceAll(".*\"segment\":\"([^\"]+)\".*", "$1");
        String shown = get(service.api("/api/v1/segments/" + segment)).body();
        assertTrue(shown.contains("\"class\":\"audit\""), shown);
        assertEquals(422, post("/api/v1/documents", "{\"retention\":\"audit\"}").statusCode());
        String scan = get(service.api("/api/v1/documents?limit=10")).body();
        for (String id : ids) {
            assertTrue(scan.contains(id), scan);
        }
        assertTrue(
                scan.indexOf(ids.get(0)) < scan.indexOf(ids.get(1))
                        && scan.indexOf(ids.get(1)) < scan.indexOf(ids.get(2)),
                "one scan over every class, in id order: " + scan);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(service.api(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
