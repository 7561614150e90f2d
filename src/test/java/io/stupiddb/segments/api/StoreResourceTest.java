package io.stupiddb.segments.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/store} (what the console shows beside the segments: retention horizon, disk,
 * the next eviction) and {@code GET /} → the console's static page. Retention is 2 s here, so a
 * sealed segment becomes due within the test, and the store's "next eviction" must be exactly what
 * {@code POST /segments/evict} then evicts.
 */
@QuarkusTest
@TestProfile(StoreResourceTest.ShortRetention.class)
class StoreResourceTest {
    public static final class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.retention", "2s");
        }
    }

    @Test
    void retentionDiskAndNodeFigures() {
        Response store = given().get("/api/v1/store");
        store.then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("nodeId", equalTo(0))
                .body("retention", equalTo("2s"))
                .body("retentionMillis", equalTo(2000))
                .body("minFreeDisk", equalTo(0))
                .body("freeDisk", greaterThan(0L))
                .body("writesRefused", equalTo(false))
                .body("maxTotalSize", nullValue())
                .body("clusterNodes", equalTo(List.of(0)));
        Instant now = Instant.parse(store.path("now"));
        Instant horizon = Instant.parse(store.path("retentionHorizon"));
        assertEquals(Duration.ofSeconds(2), Duration.between(horizon, now));
    }

    @Test
    void nextEvictionIsWhatTheRetentionPassEvicts() {
        given().contentType(ContentType.JSON)
                .body("{\"n\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201);
        String sealed = given().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
        String active = given().contentType(ContentType.JSON)
                .body("{\"n\":2}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("segment");

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> given().get("/api/v1/store")
                        .then()
                        .statusCode(200)
                        .body("nextEviction.segment", hasItem(sealed)));
        Response store = given().get("/api/v1/store");
        List<String> due = store.path("nextEviction.segment");
        List<String> reasons = store.path("nextEviction.reason");
        assertTrue(reasons.stream().allMatch("RETENTION"::equals), reasons.toString());
        // The active segment's documents are old enough too, but the active segment is never evicted.
        assertFalse(due.contains(active), due + " must not hold the active segment " + active);

        List<String> evicted = given().post("/api/v1/segments/evict")
                .then()
                .statusCode(200)
                .extract()
                .path("evicted");
        assertTrue(evicted.containsAll(due), "evicted " + evicted + ", announced " + due);
        given().get("/api/v1/store")
                .then()
                .statusCode(200)
                .body("nextEviction.segment", org.hamcrest.Matchers.not(hasItem(sealed)));
    }

    @Test
    void rootRedirectsToTheConsoleWhichIsServedByTheService() {
        given().redirects()
                .follow(false)
                .get("/")
                .then()
                .statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/console/"));
        given().redirects()
                .follow(false)
                .get("/console")
                .then()
                .statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/console/"));
        given().get("/console/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<script src=\"console.js\""));
        given().get("/console/console.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/console/console.css").then().statusCode(200).contentType(containsString("text/css"));
        // The page loads nothing from elsewhere: no absolute URLs in its HTML, script or style sheet.
        for (String asset : List.of("/console/", "/console/console.js", "/console/console.css")) {
            String text = given().get(asset).then().statusCode(200).extract().asString();
            assertFalse(
                    text.matches("(?s).*(src|href)=\"(https?:)?//.*")
                            || text.matches("(?s).*url\\((https?:)?//.*")
                            || text.matches("(?s).*fetch\\(['\"]https?:.*"),
                    asset + " refers to another host");
        }
    }
}
