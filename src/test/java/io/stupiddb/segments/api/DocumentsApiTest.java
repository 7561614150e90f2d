package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/documents}: every body type in and out, every error status of SPEC §2. */
@QuarkusTest
class DocumentsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    /** Now, with a non-zero millisecond so the text is the same in and out ({@code …:12.123Z}). */
    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(123).toString();
    }

    @Test
    void timesAreAlwaysWrittenWithMilliseconds() {
        String whole = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String expected = whole.replace("Z", ".000Z");
        String id = given().contentType(ContentType.JSON)
                .body("{\"timestamp\":\"" + whole + "\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .body("timestamp", equalTo(expected))
                .extract()
                .path("id");
        given().get("/api/v1/documents/" + id).then().body("timestamp", equalTo(expected));
    }

    @Test
    void writeOneThenGetItBack() {
        String timestamp = now();
        Response created = given().contentType(ContentType.JSON)
                .body("{\"timestamp\":\"" + timestamp + "\",\"level\":\"error\",\"http\":{\"status\":503}}")
                .post("/api/v1/documents");
        created.then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/documents/"))
                .body("id", matchesPattern(UUID_V7))
                .body("segment", notNullValue())
                .body("timestamp", equalTo(timestamp));
        String id = created.path("id");
        given().get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("timestamp", equalTo(timestamp))
                .body("segment", equalTo(created.path("segment")))
                .body("source.level", equalTo("error"))
                .body("source.http.status", equalTo(503));
        given().get(created.header("Location")).then().statusCode(200);
        // rendered whole before it is sent: one body with its length, not a chunked stream
        Response got = given().get("/api/v1/documents/" + id);
        assertEquals(String.valueOf(got.asByteArray().length), got.header("Content-Length"));
        assertNull(got.header("Transfer-Encoding"));
    }

    @Test
    void batchesInJsonNdjsonAndMessagePackKeepInputOrder() throws Exception {
        given().contentType(ContentType.JSON)
                .body("[{\"n\":1},{\"n\":2},{\"n\":3}]")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .body("count", equalTo(3))
                .body("documents", hasSize(3));
        Response ndjson = given().contentType("application/x-ndjson")
                .body("{\"n\":1}\n\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/documents");
        ndjson.then().statusCode(201).body("count", equalTo(2));
        String second = ndjson.path("documents[1].id");
        given().get("/api/v1/documents/" + second).then().body("source.n", equalTo(2));

        byte[] body = MSGPACK.writeValueAsBytes(List.of(Map.of("kind", "mp", "n", 1), Map.of("kind", "mp", "n", 2)));
        Response mp = given().contentType("application/msgpack").body(body).post("/api/v1/documents");
        mp.then().statusCode(201).body("count", equalTo(2));
        byte[] single = MSGPACK.writeValueAsBytes(Map.of("kind", "single"));
        given().contentType("application/msgpack")
                .body(single)
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .body("id", matchesPattern(UUID_V7));
    }

    /**
     * MessagePack sent in wider formats than needed (map 16, int 32, str 16) is accepted and read
     * back as the same values; a batch whose later element is invalid writes none of it, the
     * non-canonical first element included.
     */
    @Test
    void nonCanonicalMessagePackIsAcceptedAndABadBatchWritesNothing() {
        String kind = "wide-" + System.nanoTime();
        byte[] kindBytes = kind.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream wide = new ByteArrayOutputStream();
        wide.writeBytes(new byte[] {(byte) 0xde, 0, 2, (byte) 0xa1, 'n', (byte) 0xd2, 0, 0, 0, 5});
        wide.writeBytes(new byte[] {(byte) 0xa4, 'k', 'i', 'n', 'd', (byte) 0xda, 0, (byte) kindBytes.length});
        wide.writeBytes(kindBytes);
        String id = given().contentType("application/msgpack")
                .body(wide.toByteArray())
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .body("source.n", equalTo(5))
                .body("source.kind", equalTo(kind));

        String batchKind = kind + "-batch";
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.write(0x92);
        batch.writeBytes(new byte[] {(byte) 0xde, 0, 1, (byte) 0xa4, 'k', 'i', 'n', 'd', (byte) 0xda, 0});
        batch.write(batchKind.length());
        batch.writeBytes(batchKind.getBytes(StandardCharsets.UTF_8));
        batch.writeBytes(new byte[] {(byte) 0x81, (byte) 0xa1, 'b', (byte) 0xc4, 1, 0}); // binary: refused
        given().contentType("application/msgpack")
                .body(batch.toByteArray())
                .post("/api/v1/documents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", containsString("invalid-document"))
                .body("detail", containsString("element 1"));
        for (String k : List.of(kind, batchKind)) { // the first is found: the second's absence means something
            String filter = URLEncoder.encode("{\"kind\":\"" + k + "\"}", StandardCharsets.UTF_8);
            given().urlEncodingEnabled(false)
                    .get("/api/v1/documents?filter=" + filter)
                    .then()
                    .statusCode(200)
                    .body("documents", hasSize(k.equals(kind) ? 1 : 0));
        }
    }

    @Test
    void messagePackOut() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"a\":[1,2,{\"b\":true}]}")
                .post("/api/v1/documents")
                .path("id");
        byte[] bytes = given().accept("application/msgpack")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .contentType("application/msgpack")
                .extract()
                .asByteArray();
        JsonNode doc = MSGPACK.readTree(bytes);
        assertEquals(id, doc.get("id").asText());
        assertEquals(JSON.readTree("{\"a\":[1,2,{\"b\":true}]}"), doc.get("source"));
        byte[] written = given().contentType(ContentType.JSON)
                .accept("application/msgpack")
                .body("{\"x\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .asByteArray();
        assertTrue(MSGPACK.readTree(written).get("id").asText().matches(UUID_V7));
    }

    @Test
    void aBatchWithOneBadElementWritesNothingAndNamesIt() {
        String marker = "atomic-" + System.nanoTime();
        given().contentType(ContentType.JSON)
                .body("[{\"m\":\"" + marker + "\"},42,{\"m\":\"" + marker + "\"}]")
                .post("/api/v1/documents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("1"));
        given().contentType("application/x-ndjson")
                .body(("{\"m\":\"" + marker + "\"}\n{\"m\":\n").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/documents")
                .then()
                .statusCode(400)
                .body("detail", containsString("line 2"));
        given().contentType(ContentType.JSON)
                .body("[{\"m\":\"" + marker + "\"},{\"timestamp\":\"1999-01-01T00:00:00Z\"}]")
                .post("/api/v1/documents")
                .then()
                .statusCode(422)
                .body("detail", containsString("document 1"));
        String filter = URLEncoder.encode("{\"m\":\"" + marker + "\"}", StandardCharsets.UTF_8);
        given().urlEncodingEnabled(false)
                .get("/api/v1/documents?filter=" + filter)
                .then()
                .statusCode(200)
                .body("documents", hasSize(0));
    }

    @Test
    void malformedBodiesAreProblems() {
        given().contentType(ContentType.JSON)
                .body("{\"a\":")
                .post("/api/v1/documents")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", startsWith("https://"))
                .body("title", notNullValue());
        given().contentType("application/msgpack")
                .body(new byte[] {(byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1})
                .post("/api/v1/documents")
                .then()
                .statusCode(400);
        given().contentType("text/plain")
                .body("hello")
                .post("/api/v1/documents")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("[]")
                .post("/api/v1/documents")
                .then()
                .statusCode(400);
    }

    @Test
    void sizeLimitsAre413() {
        String big = "x".repeat(1100 * 1024);
        given().contentType(ContentType.JSON)
                .body("{\"big\":\"" + big + "\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        StringBuilder many = new StringBuilder();
        String line = "{\"pad\":\"" + "y".repeat(500 * 1024) + "\"}\n";
        while (many.length() < 17 * 1024 * 1024) {
            many.append(line);
        }
        given().contentType("application/x-ndjson")
                .body(many.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/documents")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("max-request-size"));
        // A search body has its own fixed limit (1 MiB), and the answer names that one, not the setting.
        given().contentType(ContentType.JSON)
                .body("{\"filter\":{\"pad\":\"" + "z".repeat(1100 * 1024) + "\"}}")
                .post("/api/v1/documents/search")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("search body's limit (1M)"));
    }

    @Test
    void timestampsOutsideTheWindowAre422() {
        given().contentType(ContentType.JSON)
                .body("{\"timestamp\":\"2000-01-01T00:00:00Z\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"timestamp\":" + (System.currentTimeMillis() + 3 * 3_600_000L) + "}")
                .post("/api/v1/documents")
                .then()
                .statusCode(422);
        given().contentType(ContentType.JSON)
                .body("{\"timestamp\":\"yesterday\"}")
                .post("/api/v1/documents")
                .then()
                .statusCode(400);
    }

    @Test
    void idsAreCheckedBeforeLookup() {
        given().get("/api/v1/documents/not-an-id").then().statusCode(400).contentType("application/problem+json");
        given().get("/api/v1/documents/0190aaaa-0000-7000-8000-000000000000")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void scanWithFilterTimeRangeLimitAndCursor() {
        String tag = "scan-" + System.nanoTime();
        List<String> ids = new ArrayList<>();
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 25; i++) {
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
        for (int i = 0; i < 25; i++) {
            ids.add(written.path("documents[" + i + "].id"));
        }
        given().post("/api/v1/segments/rotate").then().statusCode(200);
        String filter =
                URLEncoder.encode("{\"tag\":\"" + tag + "\",\"status\":{\"$gte\":500}}", StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String url = "/api/v1/documents?limit=5&filter=" + filter + (cursor == null ? "" : "&cursor=" + cursor);
            Response page = given().urlEncodingEnabled(false).get(url);
            page.then().statusCode(200);
            List<String> pageIds = page.path("documents.id");
            seen.addAll(pageIds);
            cursor = page.path("next");
            pages++;
        } while (cursor != null);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i += 2) {
            expected.add(ids.get(i));
        }
        assertEquals(expected, seen);
        assertEquals(3, pages);

        given().contentType(ContentType.JSON)
                .body("{\"filter\":{\"tag\":\"" + tag + "\",\"i\":{\"$in\":[3,4]}},\"limit\":10}")
                .post("/api/v1/documents/search")
                .then()
                .statusCode(200)
                .body("documents.source.i", equalTo(List.of(3, 4)))
                .body("next", nullValue());
        String from = URLEncoder.encode(Instant.now().plusSeconds(60).toString(), StandardCharsets.UTF_8);
        given().urlEncodingEnabled(false)
                .get("/api/v1/documents?from=" + from + "&filter=" + filter)
                .then()
                .statusCode(200)
                .body("documents", hasSize(0));
    }

    @Test
    void ndjsonScanStreamsEveryMatch() {
        String tag = "stream-" + System.nanoTime();
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            ndjson.append("{\"tag\":\"")
                    .append(tag)
                    .append("\",\"i\":")
                    .append(i)
                    .append("}\n");
        }
        given().contentType("application/x-ndjson")
                .body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/documents")
                .then()
                .statusCode(201);
        String filter = URLEncoder.encode("{\"tag\":\"" + tag + "\"}", StandardCharsets.UTF_8);
        String body = given().urlEncodingEnabled(false)
                .accept("application/x-ndjson")
                .get("/api/v1/documents?filter=" + filter)
                .then()
                .statusCode(200)
                .contentType(containsString("application/x-ndjson"))
                .extract()
                .asString();
        assertEquals(150, body.lines().count(), "no default limit when streaming");
        String limited = given().urlEncodingEnabled(false)
                .accept("application/x-ndjson")
                .get("/api/v1/documents?limit=7&filter=" + filter)
                .then()
                .extract()
                .asString();
        assertEquals(7, limited.lines().count());
    }

    @Test
    void badScanParametersAre400ThatSayWhere() {
        given().get("/api/v1/documents?limit=0").then().statusCode(400).body("detail", containsString("limit"));
        given().get("/api/v1/documents?limit=-5").then().statusCode(400);
        given().get("/api/v1/documents?limit=10001").then().statusCode(400);
        given().get("/api/v1/documents?limit=99999999999999999999").then().statusCode(400);
        given().get("/api/v1/documents?from=yesterday").then().statusCode(400).body("detail", containsString("from"));
        given().urlEncodingEnabled(false)
                .get("/api/v1/documents?filter=%7B%22a%22%3A%7B%22%24regex%22%3A1%7D%7D")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("$regex"));
        given().get("/api/v1/documents?filter=not-json").then().statusCode(400);
        given().get("/api/v1/documents?cursor=garbage!")
                .then()
                .statusCode(400)
                .body("detail", containsString("cursor"));
        given().contentType(ContentType.JSON)
                .body("{\"bogus\":1}")
                .post("/api/v1/documents/search")
                .then()
                .statusCode(400)
                .body("detail", containsString("bogus"));
        given().contentType(ContentType.JSON)
                .body("[1]")
                .post("/api/v1/documents/search")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body("{")
                .post("/api/v1/documents/search")
                .then()
                .statusCode(400);
    }
}
