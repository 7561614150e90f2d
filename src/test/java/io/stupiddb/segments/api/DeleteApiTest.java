package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/documents/delete} (SPEC §11): what it deletes, the journal's
 * DOCUMENTS_DELETED, the segment's pending deletes and the metric; every bad request a 400
 * problem that deletes nothing. Each test writes documents tagged with its own random value, so
 * the store the Quarkus tests share is no matter.
 */
@QuarkusTest
class DeleteApiTest {

    @TestHTTPResource(value = "", management = true)
    URL management;

    /** Writes {@code n} documents tagged {@code tag}, every other one {@code "level":"error"}; returns their ids. */
    private static List<String> write(String tag, int n) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"tag\":\"")
                    .append(tag)
                    .append("\",\"level\":\"")
                    .append(i % 2 == 0 ? "error" : "info")
                    .append("\",\"n\":")
                    .append(i)
                    .append('}');
        }
        return given().contentType(ContentType.JSON)
                .body(batch.append(']').toString())
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("documents.id");
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

    private static io.restassured.response.ValidatableResponse delete(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/documents/delete")
                .then();
    }

    @Test
    void matchingDocumentsAre404AndGoneFromScansAndTheJournalListsThem() {
        String tag = UUID.randomUUID().toString();
        List<String> ids = write(tag, 6);
        long after = ((Number) given().get("/api/v1/events?after=0&limit=10000").path("next")).longValue();
        String segment = given().get("/api/v1/documents/" + ids.getFirst()).path("segment");

        delete("{\"filter\":{\"tag\":\"" + tag + "\",\"level\":\"error\"}}")
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("deleted", equalTo(3))
                .body("segments", hasSize(1))
                .body("segments[0].segment", equalTo(segment))
                .body("segments[0].documents", equalTo(3))
                .body("nodes", nullValue());

        for (int i = 0; i < ids.size(); i++) {
            given().get("/api/v1/documents/" + ids.get(i)).then().statusCode(i % 2 == 0 ? 404 : 200);
        }
        assertEquals(List.of(ids.get(1), ids.get(3), ids.get(5)), scan(tag));
        List<String> journaled = given().get("/api/v1/events?after=" + after)
                .then()
                .statusCode(200)
                .body("events.type", hasItem("DOCUMENTS_DELETED"))
                .extract()
                .path("events.find { it.type == 'DOCUMENTS_DELETED' }.ids");
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(4)), journaled);
        given().get("/api/v1/segments/" + segment)
                .then()
                .statusCode(200)
                .body("deletes.documents", greaterThanOrEqualTo(3)) // other tests delete from the active segment too
                .body("deletes.rewriting", equalTo(false));
        String metrics = given().get(Management.url(management, "/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metrics.contains("segment_store_documents_deleted_total"), "metric exported");
        assertTrue(metrics.contains("segment_store_deleted_documents_pending"), "progress metric exported");

        delete("{\"filter\":{\"tag\":\"" + tag + "\",\"level\":\"error\"}}")
                .statusCode(200)
                .body("deleted", equalTo(0))
                .body("segments", hasSize(0));
    }

    @Test
    void aTimeRangeLimitsTheDelete() {
        String tag = UUID.randomUUID().toString();
        List<String> ids = write(tag, 2);
        delete("{\"filter\":{\"tag\":\"" + tag + "\"},\"to\":\"2000-01-01T00:00:00Z\"}")
                .statusCode(200)
                .body("deleted", equalTo(0));
        delete("{\"filter\":{\"tag\":\"" + tag + "\"},\"from\":\"2000-01-01T00:00:00Z\"}")
                .statusCode(200)
                .body("deleted", equalTo(2));
        given().get("/api/v1/documents/" + ids.getFirst()).then().statusCode(404);
    }

    @Test
    void badRequestsAre400ProblemsAndDeleteNothing() {
        String tag = UUID.randomUUID().toString();
        write(tag, 4);
        String filter = "{\"tag\":\"" + tag + "\"}";
        record Bad(String body, String type, String detail) {}
        List<Bad> bad = List.of(
                new Bad("{}", "invalid-parameter", "needs a filter"),
                new Bad("", "invalid-parameter", "needs a filter"),
                new Bad("{\"filter\":{}}", "invalid-parameter", "\"all\":true"),
                new Bad("{\"filter\":{},\"all\":false}", "invalid-parameter", "\"all\":true"),
                new Bad("{\"filter\":" + filter + ",\"all\":\"yes\"}", "invalid-parameter", "true or false"),
                new Bad("{\"filter\":" + filter + ",\"fliter\":1}", "invalid-parameter", "unknown delete field"),
                new Bad("[" + filter + "]", "invalid-parameter", "JSON object"),
                new Bad("{\"filter\":{\"tag\":{\"$regex\":\"x\"}}}", "invalid-filter", "$regex"),
                new Bad("{\"filter\":" + filter + ",\"from\":\"yesterday\"}", "invalid-time-range", "from"),
                new Bad("{\"filter\":" + filter, "malformed-body", ""));
        for (Bad b : bad) {
            delete(b.body())
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", containsString(b.type()))
                    .body("detail", b.detail().isEmpty() ? notNullValue() : containsString(b.detail()));
        }
        given().contentType(ContentType.TEXT)
                .body("{\"filter\":" + filter + "}")
                .post("/api/v1/documents/delete")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        assertEquals(4, scan(tag).size(), "nothing was deleted by the bad requests");
    }

    @Test
    void allTrueDeletesEverythingInTheRange() {
        String tag = UUID.randomUUID().toString();
        List<String> ids = write(tag, 3);
        String at = given().get("/api/v1/documents/" + ids.getFirst()).path("timestamp");
        String last = given().get("/api/v1/documents/" + ids.getLast()).path("timestamp");
        delete("{\"filter\":{},\"all\":true,\"from\":\"" + at + "\",\"to\":\""
                        + java.time.Instant.parse(last).plusMillis(1) + "\"}")
                .statusCode(200)
                .body("deleted", greaterThanOrEqualTo(3));
        assertEquals(List.of(), scan(tag));
    }
}
