package io.stupiddb.segments.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke tour of the packaged application over HTTP, run by failsafe against whatever
 * {@code ./mvnw verify} built: the jar ({@code target/quarkus-app}), or the native executable
 * after {@code ./mvnw verify -Dnative}. In native mode this is where reflection (the API's view
 * records, MessagePack), zstd-jni's JNI binding and bundled library, and the memory-mapped sealed
 * segments show whether the native configuration is complete: every test writes, and rotation
 * compresses with zstd and maps the sealed file.
 * <p>
 * The tests share one running application and do not depend on each other: each one uses its
 * own tag in the documents it writes and filters on it. The data directory and the management
 * port come from {@link ItDataDir}.
 */
@QuarkusIntegrationTest
@WithTestResource(ItDataDir.class)
class SmokeIT {
    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private final String tag = "it-" + UUID.randomUUID();

    @Test
    void writeOneAndABatchThenGetById() {
        Response one = given().contentType(ContentType.JSON)
                .body("{\"tag\":\"" + tag + "\",\"level\":\"error\",\"http\":{\"status\":503}}")
                .post("/api/v1/documents");
        one.then()
                .statusCode(201)
                .contentType(containsString("application/json"))
                .body("id", matchesPattern(UUID_V7))
                .body("segment", notNullValue())
                .body("timestamp", notNullValue());
        String id = one.path("id");
        assertTrue(one.header("Location").endsWith("/api/v1/documents/" + id), one.header("Location"));
        given().get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("source.tag", equalTo(tag))
                .body("source.http.status", equalTo(503));

        String ndjson = "{\"tag\":\"" + tag + "\",\"n\":1}\n{\"tag\":\"" + tag + "\",\"n\":2}\n{\"tag\":\"" + tag
                + "\",\"n\":3}\n";
        Response batch = given().contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/documents");
        batch.then().statusCode(201).body("count", equalTo(3)).body("documents", hasSize(3));
        String third = batch.path("documents[2].id");
        given().get("/api/v1/documents/" + third).then().statusCode(200).body("source.n", equalTo(3));
    }

    @Test
    void scanWithAFilterPagesWithTheCursor() {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            ndjson.append("{\"tag\":\"")
                    .append(tag)
                    .append("\",\"i\":")
                    .append(i)
                    .append(",\"status\":")
                    .append(i % 2 == 0 ? 500 : 200)
                    .append("}\n");
        }
        Response written = given().contentType("application/x-ndjson")
                .body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/documents");
        written.then().statusCode(201).body("count", equalTo(10));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i += 2) {
            expected.add(written.path("documents[" + i + "].id"));
        }

        String filter =
                URLEncoder.encode("{\"tag\":\"" + tag + "\",\"status\":{\"$gte\":500}}", StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = given().urlEncodingEnabled(false)
                    .get("/api/v1/documents?limit=2&filter=" + filter + (cursor == null ? "" : "&cursor=" + cursor));
            page.then().statusCode(200);
            List<String> ids = page.path("documents.id");
            List<Integer> statuses = page.path("documents.source.status");
            assertTrue(statuses.stream().allMatch(s -> s == 500), statuses.toString());
            seen.addAll(ids);
            cursor = page.path("next");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(expected, seen, "5 matches in id order, 2 per page");
        assertEquals(3, pages);
    }

    @Test
    void messagePackInAndOut() throws Exception {
        byte[] batch = MSGPACK.writeValueAsBytes(List.of(Map.of("tag", tag, "n", 1), Map.of("tag", tag, "n", 2)));
        byte[] written = given().contentType("application/msgpack")
                .accept("application/msgpack")
                .body(batch)
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .contentType("application/msgpack")
                .extract()
                .asByteArray();
        JsonNode answer = MSGPACK.readTree(written);
        assertEquals(2, answer.get("count").asInt(), answer.toString());
        String id = answer.get("documents").get(1).get("id").asText();

        byte[] document = given().accept("application/msgpack")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .contentType("application/msgpack")
                .extract()
                .asByteArray();
        JsonNode doc = MSGPACK.readTree(document);
        assertEquals(id, doc.get("id").asText());
        assertEquals(JSON.readTree("{\"tag\":\"" + tag + "\",\"n\":2}"), doc.get("source"));
    }

    @Test
    void segmentsRotateSealsWithZstdAndEventsFollow() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"tag\":\"" + tag + "\",\"x\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String active = given().get("/api/v1/documents/" + id).path("segment");
        given().get("/api/v1/segments?state=active").then().statusCode(200).body("segments.id", hasItem(active));
        long before = given().get("/api/v1/events?after=0&limit=10000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("next");

        given().post("/api/v1/segments/rotate")
                .then()
                .statusCode(200)
                .body("id", equalTo(active))
                .body("state", equalTo("SEALED"))
                .body("compression", equalTo("none"))
                .body("format", equalTo(1));
        // The background compaction rewrites it: compressed, with the column index, same id.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() ->
                        given().get("/api/v1/segments/" + active).jsonPath().getInt("format") == 2);
        given().get("/api/v1/segments/" + active)
                .then()
                .statusCode(200)
                .body("compression", equalTo("zstd"))
                .body("format", equalTo(2));
        // Read back from the sealed file: memory-mapped, zstd-decompressed.
        given().get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .body("segment", equalTo(active))
                .body("source.tag", equalTo(tag));
        given().get("/api/v1/segments/" + active).then().statusCode(200).body("state", equalTo("SEALED"));

        Response events = given().get("/api/v1/events?after=" + before);
        events.then()
                .statusCode(200)
                .body("events.type", hasItem("SEGMENT_SEALED"))
                .body("events.find { it.type == 'SEGMENT_SEALED' }.segment", equalTo(active));
        long next = events.jsonPath().getLong("next");
        assertTrue(next > before, "next moves past the new events");
        given().get("/api/v1/events?after=" + next)
                .then()
                .statusCode(200)
                .body("events", hasSize(0))
                .body("next", equalTo((int) next));

        // Evicting unmaps the sealed file and closes its memory segment.
        given().delete("/api/v1/segments/" + active).then().statusCode(200).body("evicted", equalTo(List.of(active)));
        given().get("/api/v1/documents/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void healthAndMetricsOnTheManagementPort() {
        given().contentType(ContentType.JSON)
                .body("{\"tag\":\"" + tag + "\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201);
        given().get(ItDataDir.managementUrl("/health/ready"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        given().get(ItDataDir.managementUrl("/health/live"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        String metrics = given().get(ItDataDir.managementUrl("/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metrics.contains("segment_store_documents_written_total"), "written counter exported");
        double written = metrics.lines()
                .filter(l -> l.startsWith("segment_store_documents_written_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        assertTrue(written >= 1, "documents counted: " + written);
        given().get("/q/health/ready").then().statusCode(404); // not on the API port
    }

    @Test
    void errorsAreProblemJson() {
        given().get("/api/v1/documents/not-a-document-id")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", endsWith("/invalid-id"))
                .body("detail", notNullValue());
        given().contentType(ContentType.JSON)
                .body("{\"tag\":")
                .post("/api/v1/documents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
