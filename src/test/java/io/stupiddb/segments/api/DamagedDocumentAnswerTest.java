package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read that meets a damaged record answers 500 {@code document-damaged} for exactly that
 * document, naming the segment and the byte offset but never the file's path on the server; the
 * other documents of the segment are served, and the segment, readiness, the metric and the
 * journal show the damage.
 */
@QuarkusTest
@TestProfile(DamagedDocumentAnswerTest.Uncompressed.class)
class DamagedDocumentAnswerTest {
    /** Uncompressed records, so a document's bytes can be found in the file and damaged. */
    public static final class Uncompressed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.compression", "none");
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void onlyTheDamagedDocumentIsUnreadableAndTheAnswerNamesNoPath() throws Exception {
        Damaged damaged = sealedPairWithTheFirstDamaged("intact");
        String id = damaged.lost();
        String intact = damaged.kept();
        String segment = damaged.segment();
        String dataDir = damaged.dataDir();

        for (int attempt = 0; attempt < 2; attempt++) {
            given().get("/api/v1/documents/" + id)
                    .then()
                    .statusCode(500)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("https://stupiddb.io/problems/document-damaged"))
                    .body("detail", containsString("segment " + segment))
                    .body("detail", containsString("at byte "))
                    .body("detail", not(containsString(dataDir)))
                    .body("detail", not(containsString(".seg")))
                    .body("detail", not(containsString("/")));
        }
        given().get("/api/v1/documents/" + intact).then().statusCode(200).body("source.m", equalTo("intact"));
        given().get("/api/v1/segments/" + segment).then().statusCode(200).body("damagedRecords", equalTo(1));
        given().get("/api/v1/events?after=0")
                .then()
                .statusCode(200)
                .body(
                        "events.findAll { it.type == 'DOCUMENTS_DAMAGED' && it.segment == '" + segment + "' }.size()",
                        equalTo(1))
                .body(
                        "events.find { it.type == 'DOCUMENTS_DAMAGED' && it.segment == '" + segment + "' }.ids",
                        equalTo(java.util.List.of(id)));
        given().get(Management.url(management, "/health/ready"))
                .then()
                .statusCode(200)
                .body(
                        "checks.find { it.name == 'segment-store' }.data.damagedRecords",
                        containsString(segment + ": 1"));
        given().get(Management.url(management, "/metrics"))
                .then()
                .body(matchesPattern("(?s).*segment_store_damaged_records_total [1-9].*"))
                .body(containsString("segment_store_scrub_verified_bytes_total "))
                .body(containsString("segment_store_scrub_last_full_pass_timestamp_seconds NaN"));
    }

    @Test
    void salvageRewritesTheSegmentWithoutTheDamagedDocumentAndRefusesWhatItCannotDo() throws Exception {
        Damaged damaged = sealedPairWithTheFirstDamaged("kept");
        String lost = damaged.lost();
        String kept = damaged.kept();
        String segment = damaged.segment();

        given().post("/api/v1/segments/" + segment + "/salvage")
                .then()
                .statusCode(200)
                .body("segment", equalTo(segment))
                .body("kept", equalTo(1))
                .body("lost", equalTo(java.util.List.of(lost)))
                .body("lossKnown", equalTo(true));
        given().get("/api/v1/documents/" + kept).then().statusCode(200).body("source.m", equalTo("kept"));
        given().get("/api/v1/documents/" + lost)
                .then()
                .statusCode(500)
                .body("type", equalTo("https://stupiddb.io/problems/document-damaged"));
        given().get("/api/v1/segments/" + segment).then().statusCode(200).body("documents", equalTo(1));

        given().post("/api/v1/segments/0000-1/salvage")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://stupiddb.io/problems/segment-not-found"));
        given().post("/api/v1/segments/Not..An..Id/salvage").then().statusCode(400);
        String active = given().contentType(ContentType.JSON)
                .body("{\"m\":1}")
                .post("/api/v1/documents")
                .then()
                .extract()
                .path("segment");
        given().post("/api/v1/segments/" + active + "/salvage")
                .then()
                .statusCode(409)
                .body("type", equalTo("https://stupiddb.io/problems/active-segment"));
    }

    private record Damaged(String lost, String kept, String segment, String dataDir) {}

    /** Writes two documents, seals their segment and damages the first one's record on disk. */
    private Damaged sealedPairWithTheFirstDamaged(String keptText) throws Exception {
        String marker = "damage-me-" + System.nanoTime();
        var written = given().contentType(ContentType.JSON)
                .body("[{\"m\":\"" + marker + "\"},{\"m\":\"" + keptText + "\"}]")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract();
        String segment = written.path("documents[0].segment");
        given().post("/api/v1/segments/rotate").then().statusCode(200);
        // The background compaction rewrites the sealed file (format v2): damage goes into the file it leaves.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() ->
                        given().get("/api/v1/segments/" + segment).jsonPath().getInt("format") == 2);
        String dataDir = given().get(Management.url(management, "/health/ready"))
                .then()
                .statusCode(200)
                .extract()
                .path("checks.find { it.name == 'segment-store' }.data.dataDir");
        flipFirst(Path.of(dataDir).resolve(segment + ".seg"), marker.getBytes(StandardCharsets.UTF_8));
        return new Damaged(written.path("documents[0].id"), written.path("documents[1].id"), segment, dataDir);
    }

    /** Damages the first occurrence of {@code bytes} in the file (one bit of its first byte). */
    private static void flipFirst(Path file, byte[] bytes) throws Exception {
        byte[] content = Files.readAllBytes(file);
        int at = -1;
        for (int i = 0; i + bytes.length <= content.length && at < 0; i++) {
            if (java.util.Arrays.equals(content, i, i + bytes.length, bytes, 0, bytes.length)) {
                at = i;
            }
        }
        assertTrue(at >= 0, "the document's bytes are in " + file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (content[at] ^ 0x01)}), at);
        }
    }
}
