package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/segments} and {@code /api/v1/events}, the management port's health and metrics. */
@QuarkusTest
class SegmentsAndEventsApiTest {

    @TestHTTPResource(value = "", management = true)
    URL management;

    @TestHTTPResource("/api/v1/events/stream")
    URL stream;

    private String writeOne() {
        return given().contentType(ContentType.JSON)
                .body("{\"x\":1}")
                .post("/api/v1/documents")
                .path("segment");
    }

    @Test
    void listRotateInspectEvict() {
        String active = writeOne();
        given().get("/api/v1/segments?state=active")
                .then()
                .statusCode(200)
                .body("segments.id", hasItem(active))
                .body("segments.state", everyItem(equalTo("ACTIVE")));
        given().get("/api/v1/segments/" + active)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"))
                .body("documents", greaterThan(0))
                .body("compression", equalTo("none"))
                .body("format", equalTo(1))
                .body("createdAt", notNullValue());
        given().delete("/api/v1/segments/" + active).then().statusCode(409).contentType("application/problem+json");
        given().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .body("id", equalTo(active))
                .body("state", equalTo("SEALED"))
                .body("sealedAt", notNullValue());
        given().post("/api/v1/segments/rotate").then().statusCode(204);
        given().get("/api/v1/segments").then().statusCode(200).body("segments.id", hasItem(active));
        given().delete("/api/v1/segments/" + active).then().statusCode(200).body("evicted", equalTo(List.of(active)));
        given().get("/api/v1/segments/" + active).then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/v1/segments/" + active).then().statusCode(404);
        given().post("/api/v1/segments/evict").then().statusCode(200).body("evicted", notNullValue());
    }

    @Test
    void segmentIdsThatCouldBePathsAre400() {
        given().get("/api/v1/segments/..%2F..%2Fetc%2Fpasswd")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/segments/ABC").then().statusCode(400);
        given().delete("/api/v1/segments/a.b").then().statusCode(400);
        given().get("/api/v1/segments?state=frozen").then().statusCode(400);
    }

    @Test
    void eventsPageBySeqAndResumeOverSse() throws Exception {
        String segment = writeOne();
        given().post("/api/v1/segments/rotate").then().statusCode(200);
        writeOne();
        given().post("/api/v1/segments/rotate").then().statusCode(200);
        List<Integer> seqs = given().get("/api/v1/events?after=0&limit=10000")
                .then()
                .statusCode(200)
                .body("events.type", hasItem("SEGMENT_SEALED"))
                .extract()
                .path("events.seq");
        int last = seqs.getLast();
        given().get("/api/v1/events?after=" + last)
                .then()
                .body("events", org.hamcrest.Matchers.hasSize(0))
                .body("next", equalTo(last));
        given().get("/api/v1/events?after=-1").then().statusCode(400);
        given().get("/api/v1/events?after=x").then().statusCode(400);
        given().get("/api/v1/events?limit=0").then().statusCode(400);

        // SSE: resume after the second-to-last event; the last one must come first, then a live one.
        int resumeAfter = seqs.get(seqs.size() - 2);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", Integer.toString(resumeAfter))
                .build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> ids = new ArrayList<>();
        Thread live = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(500);
                writeOne();
                given().post("/api/v1/segments/rotate");
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String line;
            while (ids.size() < 2 && System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                if (line.startsWith("id:")) {
                    ids.add(line.substring(3).trim());
                }
            }
        }
        live.join();
        assertEquals(Integer.toString(last), ids.get(0), "replay starts right after Last-Event-ID");
        assertTrue(Long.parseLong(ids.get(1)) > last, "then live events");
        assertTrue(segment != null);
    }

    @Test
    void healthAndMetricsOnTheManagementPort() {
        writeOne();
        given().get(Management.url(management, "/health/live"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        given().get(Management.url(management, "/health/ready"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.data.dataDir", hasItem(notNullValue()));
        given().get(Management.url(management, "/health/started"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        String metrics = given().get(Management.url(management, "/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String name : List.of(
                "segment_store_documents_written_total",
                "segment_store_bytes_written_total",
                "segment_store_segments{",
                "segment_store_disk_bytes{",
                "segment_store_rotations_total{",
                "segment_store_evictions_total{",
                "segment_store_corrupt_segments_total",
                "segment_store_oldest_timestamp_seconds",
                "segment_store_write_seconds_bucket",
                "segment_store_get_seconds_bucket",
                "segment_store_scan_seconds_bucket")) {
            assertTrue(metrics.contains(name), "metric " + name + " missing");
        }
        double written = metrics.lines()
                .filter(l -> l.startsWith("segment_store_documents_written_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        assertTrue(written >= 1, "documents written counted: " + written);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        String document = given().accept("application/json")
                .get(Management.url(management, "/openapi"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String path : List.of(
                "/api/v1/documents",
                "/api/v1/documents/{id}",
                "/api/v1/documents/search",
                "/api/v1/segments",
                "/api/v1/segments/{id}",
                "/api/v1/segments/rotate",
                "/api/v1/segments/evict",
                "/api/v1/events",
                "/api/v1/events/stream",
                "/api/v1/store")) {
            assertTrue(document.contains("\"" + path + "\""), "OpenAPI lacks " + path);
        }
    }
}
