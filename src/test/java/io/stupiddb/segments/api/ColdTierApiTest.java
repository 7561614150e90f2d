package io.stupiddb.segments.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.testing.S3ProxyServer;
import io.stupiddb.segments.testing.TestFiles;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cold tier through the API (SPEC §10), against S3Proxy: archived segments listed with their
 * location, SEGMENT_ARCHIVED events with it, the journal epoch, and while the object store is
 * down: 503 problem+json with Retry-After for gets and scans of archived documents, partial=true
 * scans with what is readable, local documents still served, readiness UP with the detail.
 */
@QuarkusTest
@TestProfile(ColdTierApiTest.S3Archive.class)
class ColdTierApiTest {
    static S3ProxyServer s3;

    /** Archives to S3Proxy; a read-back cache of 1 byte keeps only the newest archived segment. */
    public static final class S3Archive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "segments.archive-after", "1ms",
                    "segments.archive.target", "s3",
                    "segments.archive.cache-size", "1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3Proxy.class));
        }
    }

    /** Starts S3Proxy before the service and points segments.archive.s3.* at it. */
    public static final class S3Proxy implements QuarkusTestResourceLifecycleManager {
        private Path dir;

        @Override
        public Map<String, String> start() {
            try {
                dir = Files.createTempDirectory("s3proxy-api");
                s3 = S3ProxyServer.start(dir.resolve("data"), "archive");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "segments.archive.s3.bucket", "archive",
                    "segments.archive.s3.endpoint", s3.endpoint().toString(),
                    "segments.archive.s3.path-style", "true");
        }

        @Override
        public void stop() {
            try {
                s3.close();
                TestFiles.deleteRecursively(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    StoreService service;

    @TestHTTPResource(value = "", management = true)
    URL management;

    private String write(String marker) {
        return given().contentType(ContentType.JSON)
                .body("{\"m\":\"" + marker + "\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private String archiveOne(String marker) throws IOException {
        String id = write(marker);
        String segment = given().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        assertEquals(List.of(segment), service.store().archiveDue());
        return id;
    }

    @Test
    void archivedSegmentsAreListedServedAndAnswer503WhileTheObjectStoreIsDown() throws Exception {
        String older = archiveOne("older");
        archiveOne("newer"); // pushes the older segment out of the 1-byte cache
        String local = write("local");

        given().get("/api/v1/segments?state=ARCHIVED")
                .then()
                .statusCode(200)
                .body("segments.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("segments[0].location", startsWith("s3://archive/segments/node-0/"));
        given().get("/api/v1/events?after=0")
                .then()
                .statusCode(200)
                .body("epoch", matchesPattern("[0-9a-f-]{36}"))
                .body("events.find { it.type == 'SEGMENT_ARCHIVED' }.location", startsWith("s3://archive/"));
        String olderSegment = given().get("/api/v1/documents/" + older)
                .then()
                .statusCode(200)
                .body("source.m", equalTo("older"))
                .extract()
                .path("segment");

        archiveOne("evicts-older-from-cache"); // small: kept whole in the cache, readable while the bucket is down
        s3.stop();
        try {
            given().get("/api/v1/documents/" + older)
                    .then()
                    .statusCode(503)
                    .contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", notNullValue())
                    .body("type", equalTo("https://stupiddb.io/problems/archive-unavailable"));
            given().get("/api/v1/documents?limit=100")
                    .then()
                    .statusCode(503)
                    .contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", notNullValue());
            given().get("/api/v1/documents?limit=100&partial=true")
                    .then()
                    .statusCode(200)
                    .body("documents.source.m", org.hamcrest.Matchers.hasItems("local", "evicts-older-from-cache"))
                    .body("documents.source.m", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("older")))
                    .body("partial", equalTo(true))
                    .body("skipped", org.hamcrest.Matchers.hasItem(olderSegment))
                    .body("skipped.size()", equalTo(2)); // older and newer: their indexes left the cache
            given().contentType(ContentType.JSON)
                    .body("{\"partial\":true,\"limit\":100}")
                    .post("/api/v1/documents/search")
                    .then()
                    .statusCode(200)
                    .body("skipped", org.hamcrest.Matchers.hasItem(olderSegment));
            given().get("/api/v1/documents/" + local).then().statusCode(200);
            write("still-writable");
            given().get(Management.url(management, "/health/ready")).then().statusCode(200);
        } finally {
            s3.start();
        }
        given().get("/api/v1/documents/" + older).then().statusCode(200).body("source.m", equalTo("older"));
        given().get("/api/v1/documents?limit=100&partial=true")
                .then()
                .statusCode(200)
                .body("documents.source.m", org.hamcrest.Matchers.hasItems("older", "newer", "local"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("skipped")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("partial")));
    }

    @Test
    void failedUploadsAreCountedAndShownInReadiness() throws Exception {
        write("kept-locally");
        String segment = given().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        s3.stop();
        try {
            assertEquals(List.of(), service.store().archiveDue());
            given().get("/api/v1/segments/" + segment).then().statusCode(200).body("state", equalTo("SEALED"));
            given().get(Management.url(management, "/health/ready"))
                    .then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'segment-store' }.data.archiveUploads", containsString("failing"));
            String metrics = given().get(Management.url(management, "/metrics"))
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            org.junit.jupiter.api.Assertions.assertTrue(
                    metrics.lines()
                            .anyMatch(l -> l.startsWith("segment_store_archive_failures_total") && !l.endsWith(" 0.0")),
                    metrics);
        } finally {
            s3.start();
        }
        // Back: the next pass after the backoff uploads it, nothing was lost.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> service.store().archiveDue().contains(segment));
        given().get("/api/v1/segments/" + segment).then().statusCode(200).body("state", equalTo("ARCHIVED"));
        given().get(Management.url(management, "/health/ready"))
                .then()
                .body("checks.find { it.name == 'segment-store' }.data.archiveUploads", equalTo("ok"));
    }
}
