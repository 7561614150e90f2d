package io.stupiddb.segments.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Retention classes over REST (SPEC §12): documents land in their class's segments, GET /segments
 * and GET /store show the classes, an unknown class or a timestamp outside its class's retention
 * is a 422 that writes nothing, and gets and scans span the classes.
 */
@QuarkusTest
@TestProfile(RetentionClassesApiTest.Classes.class)
class RetentionClassesApiTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "", management = true)
    java.net.URL management;

    public static final class Classes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "segments.retention-classes", "debug=1d:1G,audit=400d",
                    "segments.retention-class-field", "keep");
        }
    }

    private static List<String> write(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("documents.id");
    }

    private static String classOf(String documentId) {
        String segment = given().get("/api/v1/documents/" + documentId)
                .then()
                .statusCode(200)
                .extract()
                .path("segment");
        return given().get("/api/v1/segments/" + segment)
                .then()
                .statusCode(200)
                .extract()
                .path("class");
    }

    private static List<String> scan(String tag) {
        return given().contentType(ContentType.JSON)
                .body("{\"filter\":{\"tag\":\"" + tag + "\"},\"limit\":1000}")
                .post("/api/v1/documents/search")
                .then()
                .statusCode(200)
                .extract()
                .path("documents.id");
    }

    @Test
    void documentsLandInTheirClassesAndReadBackInIdOrder() {
        String tag = UUID.randomUUID().toString();
        List<String> ids = write("[{\"tag\":\"" + tag + "\",\"keep\":\"debug\"},{\"tag\":\"" + tag + "\"},"
                + "{\"tag\":\"" + tag + "\",\"keep\":\"audit\"},{\"tag\":\"" + tag + "\",\"keep\":\"default\"}]");
        assertEquals(
                List.of("debug", "default", "audit", "default"),
                ids.stream().map(RetentionClassesApiTest::classOf).toList());
        assertEquals(ids, scan(tag), "one scan over every class, in id order (the order of the batch)");
        given().get("/api/v1/segments")
                .then()
                .statusCode(200)
                .body("segments.class", hasItems("default", "debug", "audit"));
    }

    @Test
    void anUnknownClassIsA422ThatWritesNothing() {
        String tag = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON)
                .body("[{\"tag\":\"" + tag + "\",\"keep\":\"audit\"},{\"tag\":\"" + tag + "\",\"keep\":\"forever\"}]")
                .post("/api/v1/documents")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", containsString("unknown-retention-class"))
                .body("detail", containsString("document 1"))
                .body("detail", containsString("'forever'"))
                .body("detail", containsString("default, debug, audit"));
        assertEquals(List.of(), scan(tag));
    }

    @Test
    void aTimestampIsCheckedAgainstItsOwnClassesRetention() {
        String tag = UUID.randomUUID().toString();
        String twoDaysAgo = Instant.now().minus(2, ChronoUnit.DAYS).toString();
        given().contentType(ContentType.JSON)
                .body("[{\"tag\":\"" + tag + "\",\"timestamp\":\"" + twoDaysAgo + "\"}," + "{\"tag\":\"" + tag
                        + "\",\"keep\":\"debug\",\"timestamp\":\"" + twoDaysAgo + "\"}]")
                .post("/api/v1/documents")
                .then()
                .statusCode(422)
                .body("type", containsString("timestamp-out-of-range"))
                .body("detail", containsString("document 1"));
        assertEquals(List.of(), scan(tag));
        write("[{\"tag\":\"" + tag + "\",\"keep\":\"audit\",\"timestamp\":\"" + twoDaysAgo + "\"}]");
        assertEquals(1, scan(tag).size());
    }

    @Test
    void theStoreFiguresListEachClass() {
        given().get("/api/v1/store")
                .then()
                .statusCode(200)
                .body("retentionClassField", equalTo("keep"))
                .body("retentionClasses.name", equalTo(List.of("default", "debug", "audit")))
                .body("retentionClasses.retention", equalTo(List.of("30d", "1d", "400d")))
                .body("retentionClasses[1].maxTotalSize", equalTo(1 << 30))
                .body("retentionClasses[2].maxTotalSize", equalTo(null));
    }

    @Test
    void deletesSpanTheClasses() {
        String tag = UUID.randomUUID().toString();
        List<String> ids = write("[{\"tag\":\"" + tag + "\",\"keep\":\"debug\"},{\"tag\":\"" + tag
                + "\",\"keep\":\"audit\"},{\"tag\":\"" + tag + "\"}]");
        given().contentType(ContentType.JSON)
                .body("{\"filter\":{\"tag\":\"" + tag + "\"}}")
                .post("/api/v1/documents/delete")
                .then()
                .statusCode(200)
                .body("deleted", equalTo(3));
        for (String id : ids) {
            given().get("/api/v1/documents/" + id).then().statusCode(404);
        }
    }

    @Test
    void eachClassHasItsSizeAndRetentionAsMetrics() {
        write("[{\"keep\":\"audit\",\"msg\":\"metrics\"}]");
        String root = management.toString().replaceAll("/$", "");
        String scrape =
                given().get(root + "/metrics").then().statusCode(200).extract().asString();
        org.hamcrest.MatcherAssert.assertThat(
                scrape, containsString("segment_store_class_retention_seconds{class=\"debug\"} 86400.0"));
        org.hamcrest.MatcherAssert.assertThat(
                scrape, containsString("segment_store_class_retention_seconds{class=\"audit\"} 3.456E7"));
        org.hamcrest.MatcherAssert.assertThat(
                scrape, containsString("segment_store_class_retention_seconds{class=\"default\"} 2592000.0"));
        java.util.regex.Matcher audit = java.util.regex.Pattern.compile(
                        "segment_store_class_disk_bytes\\{class=\"audit\"} ([0-9.E]+)")
                .matcher(scrape);
        org.junit.jupiter.api.Assertions.assertTrue(audit.find(), scrape);
        org.junit.jupiter.api.Assertions.assertTrue(Double.parseDouble(audit.group(1)) > 0, audit.group());
    }
}
