package io.stupiddb.segments.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.testing.SegmentDamage;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes of the packaged jar on loopback, node ids 0-2, each with its own data directory,
 * peers configured as the chart does, an api key on all of them (it must travel across hops),
 * two retention classes beside the default one (the documents are spread over all three).
 * Any node answers for the whole cluster (SPEC §9).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final String KEY = "cluster-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int NODES = 3;
    private static final ServiceLauncher[] NODE = new ServiceLauncher[NODES];
    private static Path root;
    private static final String TAG = "cluster-" + System.nanoTime();
    /** id → [node written to, i] */
    private static final Map<String, int[]> WRITTEN = new TreeMap<>();

    @BeforeAll
    static void startCluster() throws Exception {
        root = Files.createTempDirectory("cluster-it");
        StringBuilder peers = new StringBuilder();
        int[] apiPorts = new int[NODES];
        for (int node = 0; node < NODES; node++) {
            apiPorts[node] = ServiceLauncher.freePort();
            peers.append(node == 0 ? "" : ",")
                    .append(node)
                    .append("=http://localhost:")
                    .append(apiPorts[node]);
        }
        for (int node = 0; node < NODES; node++) {
            Path dir = Files.createDirectories(root.resolve("node-" + node));
            NODE[node] = new ServiceLauncher(dir, dir.resolve("service.log"))
                    .jvmOptions(List.of("-Xmx256m"))
                    .apiPort(apiPorts[node])
                    .set("segments.node-id", Integer.toString(node))
                    .set("segments.cluster.peers", peers.toString())
                    .set("segments.api-key", KEY)
                    // Every test runs over retention classes: the documents of test 1 are spread over three.
                    .set("segments.retention-classes", "debug=1d,audit=400d");
            NODE[node].launch();
        }
        for (ServiceLauncher node : NODE) {
            node.awaitReady(Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ServiceLauncher node : NODE) {
            if (node != null) {
                node.kill();
            }
        }
        TestFiles.deleteRecursively(root);
    }

    @Test
    @Order(1)
    void aDocumentWrittenToAnyNodeIsReadableFromEveryNode() throws Exception {
        for (int node = 0; node < NODES; node++) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                ndjson.append("{\"tag\":\"")
                        .append(TAG)
                        .append("\",\"node\":")
                        .append(node)
                        .append(",\"i\":")
                        .append(i)
                        .append(i % 3 == 0 ? ",\"retention\":\"debug\"" : i % 3 == 1 ? ",\"retention\":\"audit\"" : "")
                        .append("}\n");
            }
            HttpResponse<String> created = send(
                    node,
                    HttpRequest.newBuilder(api(node, "/api/v1/documents"))
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())));
            assertEquals(201, created.statusCode(), created.body());
            int i = 0;
            for (JsonNode doc : JSON.readTree(created.body()).get("documents")) {
                WRITTEN.put(doc.get("id").asText(), new int[] {node, i++});
            }
        }
        assertEquals(30, WRITTEN.size());
        String segments = get(0, "/api/v1/segments?scope=cluster").body();
        for (String retentionClass : List.of("default", "debug", "audit")) {
            assertTrue(segments.contains("\"class\":\"" + retentionClass + "\""), segments);
        }
        for (Map.Entry<String, int[]> doc : WRITTEN.entrySet()) {
            for (int via = 0; via < NODES; via++) {
                HttpResponse<String> got = get(via, "/api/v1/documents/" + doc.getKey());
                assertEquals(200, got.statusCode(), "node " + via + " for a document of node " + doc.getValue()[0]);
                JsonNode source = JSON.readTree(got.body()).get("source");
                assertEquals(doc.getValue()[0], source.get("node").asInt());
                assertEquals(doc.getValue()[1], source.get("i").asInt());
            }
        }
    }

    @Test
    @Order(2)
    void clusterPagingReturnsEachDocumentOnceInIdOrder() throws Exception {
        String filter = URLEncoder.encode("{\"tag\":\"" + TAG + "\"}", StandardCharsets.UTF_8);
        for (int via = 0; via < NODES; via++) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                HttpResponse<String> page = get(
                        via,
                        "/api/v1/documents?limit=7&filter=" + filter + (cursor == null ? "" : "&cursor=" + cursor));
                assertEquals(200, page.statusCode(), page.body());
                JsonNode body = JSON.readTree(page.body());
                body.get("documents").forEach(d -> seen.add(d.get("id").asText()));
                cursor = body.get("next").isNull() ? null : body.get("next").asText();
                assertFalse(body.has("partial"));
            } while (cursor != null);
            assertEquals(new ArrayList<>(WRITTEN.keySet()), seen, "every document once, in id order, via " + via);
        }
        String ndjson = HTTP.send(
                        authorized(HttpRequest.newBuilder(api(1, "/api/v1/documents?filter=" + filter)))
                                .header("Accept", "application/x-ndjson")
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertEquals(30, ndjson.lines().count(), "NDJSON streams the merged scan");
    }

    @Test
    @Order(3)
    void filtersGiveTheSameResultAsOneNodeHoldingTheData() throws Exception {
        String filter = "{\"tag\":\"" + TAG + "\",\"i\":{\"$gte\":6},\"node\":{\"$in\":[0,2]}}";
        List<String> expected = WRITTEN.entrySet().stream()
                .filter(e -> e.getValue()[1] >= 6 && e.getValue()[0] != 1)
                .map(Map.Entry::getKey)
                .toList();
        HttpResponse<String> search = send(
                2,
                HttpRequest.newBuilder(api(2, "/api/v1/documents/search"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":" + filter + ",\"limit\":100}")));
        assertEquals(200, search.statusCode(), search.body());
        List<String> actual = new ArrayList<>();
        JSON.readTree(search.body())
                .get("documents")
                .forEach(d -> actual.add(d.get("id").asText()));
        assertEquals(expected, actual);
    }

    @Test
    @Order(4)
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        String ofNode1 = WRITTEN.entrySet().stream()
                .filter(e -> e.getValue()[0] == 1)
                .findFirst()
                .orElseThrow()
                .getKey();
        HttpResponse<String> direct = HTTP.send(
                authorized(HttpRequest.newBuilder(api(0, "/api/v1/documents/" + ofNode1)))
                        .header("X-Segment-Store-Forwarded", "2")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, direct.statusCode(), "answered from node 0's own data, not forwarded");
        HttpResponse<String> segments = get(0, "/api/v1/segments?scope=cluster");
        assertEquals(200, segments.statusCode(), segments.body());
        List<String> ids = new ArrayList<>();
        JSON.readTree(segments.body())
                .get("segments")
                .forEach(s -> ids.add(s.get("id").asText()));
        for (int node = 0; node < NODES; node++) {
            String prefix = String.format("%04d-", node);
            assertTrue(ids.stream().anyMatch(id -> id.startsWith(prefix)), "segments of node " + node + ": " + ids);
        }
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(NODE[0].management("/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(metrics.contains("segment_store_forwarded_requests_total{outcome=\"ok\"}"), "forward metrics");
        assertTrue(metrics.contains("segment_store_fanout_requests_total{outcome=\"ok\"}"), "fan-out metrics");
    }

    /** The owner's "stored copy damaged" is a fact about the document: passed back, not turned into a 503. */
    @Test
    @Order(5)
    void aDamagedDocumentOfAnotherNodeAnswersDocumentDamagedThroughAnyNode() throws Exception {
        HttpResponse<String> created = send(
                1,
                HttpRequest.newBuilder(api(1, "/api/v1/documents"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"damaged-" + TAG + "\"}")));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode written = JSON.readTree(created.body());
        UUID id = UUID.fromString(written.get("id").asText());
        String segment = written.get("segment").asText();
        assertEquals(
                200,
                send(
                                1,
                                HttpRequest.newBuilder(api(1, "/api/v1/segments/rotate"))
                                        .POST(HttpRequest.BodyPublishers.noBody()))
                        .statusCode());
        Path file = root.resolve("node-1").resolve("data").resolve(segment + ".seg");
        SegmentDamage.damageRecord(file, id);
        for (int via = 0; via < NODES; via++) {
            HttpResponse<String> got = get(via, "/api/v1/documents/" + id);
            assertEquals(500, got.statusCode(), "via node " + via + ": " + got.body());
            assertTrue(got.body().contains("/problems/document-damaged"), got.body());
        }
    }

    @Test
    @Order(6)
    void withoutTheKeyNoHopHelps() throws Exception {
        HttpResponse<String> anonymous = HTTP.send(
                HttpRequest.newBuilder(api(0, "/api/v1/documents")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
    }

    @Test
    @Order(7)
    void aDeleteFansOutToEveryNodeAndEachNodeJournalsItsIds() throws Exception {
        List<String> gone = WRITTEN.entrySet().stream()
                .filter(e -> e.getValue()[1] == 9)
                .map(Map.Entry::getKey)
                .toList();
        HttpResponse<String> deleted = delete(1, "{\"filter\":{\"tag\":\"" + TAG + "\",\"i\":9}}");
        assertEquals(200, deleted.statusCode(), deleted.body());
        JsonNode body = JSON.readTree(deleted.body());
        assertEquals(3, body.get("deleted").asInt());
        assertEquals(3, body.get("segments").size());
        for (int node = 0; node < NODES; node++) {
            assertEquals(node, body.get("nodes").get(node).get("node").asInt());
            assertEquals(1, body.get("nodes").get(node).get("deleted").asInt(), body.toString());
        }
        for (String id : gone) {
            for (int via = 0; via < NODES; via++) {
                assertEquals(404, get(via, "/api/v1/documents/" + id).statusCode(), id + " via " + via);
            }
            int owner = WRITTEN.get(id)[0];
            String events = get(owner, "/api/v1/events?after=0&limit=10000").body();
            assertTrue(events.contains("\"type\":\"DOCUMENTS_DELETED\"") && events.contains(id), events);
            WRITTEN.remove(id);
        }
        assertEquals(27, WRITTEN.size());
    }

    @Test
    @Order(8)
    void aNodeDownFailsDeletesWithoutDeletingAnythingUnlessPartial() throws Exception {
        NODE[2].kill();
        String filter = "{\"filter\":{\"tag\":\"" + TAG + "\",\"i\":8}";
        HttpResponse<String> refused = delete(0, filter + "}");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("nothing was deleted"), refused.body());
        for (Map.Entry<String, int[]> doc : WRITTEN.entrySet()) {
            if (doc.getValue()[1] == 8 && doc.getValue()[0] != 2) {
                assertEquals(200, get(0, "/api/v1/documents/" + doc.getKey()).statusCode(), "deleted by a 503");
            }
        }
        HttpResponse<String> partial = delete(0, filter + ",\"partial\":true}");
        assertEquals(200, partial.statusCode(), partial.body());
        JsonNode body = JSON.readTree(partial.body());
        assertEquals(2, body.get("deleted").asInt());
        assertTrue(body.get("partial").asBoolean());
        assertEquals(2, body.get("missing").get(0).asInt());
        WRITTEN.entrySet().removeIf(doc -> doc.getValue()[1] == 8 && doc.getValue()[0] != 2);
    }

    @Test
    @Order(9)
    void aNodeDownFailsScansUnlessPartialAndItsDocumentsAre503() throws Exception {
        NODE[2].kill();
        String filter = URLEncoder.encode("{\"tag\":\"" + TAG + "\"}", StandardCharsets.UTF_8);
        HttpResponse<String> failed = get(0, "/api/v1/documents?limit=100&filter=" + filter);
        assertEquals(503, failed.statusCode(), failed.body());
        assertTrue(failed.headers().firstValue("Retry-After").isPresent());
        assertTrue(failed.body().contains("partial=true"), failed.body());

        HttpResponse<String> partial = get(0, "/api/v1/documents?limit=100&partial=true&filter=" + filter);
        assertEquals(200, partial.statusCode(), partial.body());
        JsonNode body = JSON.readTree(partial.body());
        assertTrue(body.get("partial").asBoolean());
        assertEquals(2, body.get("missing").get(0).asInt());
        List<String> expected = WRITTEN.entrySet().stream()
                .filter(e -> e.getValue()[0] != 2)
                .map(Map.Entry::getKey)
                .toList();
        List<String> actual = new ArrayList<>();
        body.get("documents").forEach(d -> actual.add(d.get("id").asText()));
        assertEquals(expected, actual);

        String ofNode2 = WRITTEN.entrySet().stream()
                .filter(e -> e.getValue()[0] == 2)
                .findFirst()
                .orElseThrow()
                .getKey();
        HttpResponse<String> unreachable = get(1, "/api/v1/documents/" + ofNode2);
        assertEquals(503, unreachable.statusCode(), "never a false 404: " + unreachable.body());
        assertTrue(unreachable.headers().firstValue("Retry-After").isPresent());
        assertEquals(503, get(0, "/api/v1/segments?scope=cluster").statusCode());
        assertEquals(200, get(0, "/api/v1/segments?scope=cluster&partial=true").statusCode());
    }

    /**
     * A node SIGKILLed and restarted in the middle of a paged scan and of forwarded gets: while
     * it is down the scan page and its documents answer 503 (never a page that silently skips
     * it); after its restart the same cursor continues, and the pages hold every document once,
     * in id order.
     */
    @Test
    @Order(10)
    void aNodeRestartedUnderAPagedScanAndForwardedGetsLosesAndRepeatsNothing() throws Exception {
        NODE[2].start(Duration.ofSeconds(90));
        String filter = URLEncoder.encode("{\"tag\":\"" + TAG + "\"}", StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 2; page++) {
            HttpResponse<String> answer =
                    get(0, "/api/v1/documents?limit=7&filter=" + filter + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode body = JSON.readTree(answer.body());
            body.get("documents").forEach(d -> seen.add(d.get("id").asText()));
            cursor = body.get("next").asText();
        }
        String ofNode1 = WRITTEN.entrySet().stream()
                .filter(e -> e.getValue()[0] == 1)
                .findFirst()
                .orElseThrow()
                .getKey();

        NODE[1].kill();
        HttpResponse<String> during = get(0, "/api/v1/documents?limit=7&filter=" + filter + "&cursor=" + cursor);
        assertEquals(503, during.statusCode(), "a clear 503, not a page without node 1: " + during.body());
        assertEquals(503, get(2, "/api/v1/documents/" + ofNode1).statusCode(), "never a false 404");

        NODE[1].start(Duration.ofSeconds(90));
        do {
            HttpResponse<String> answer = get(0, "/api/v1/documents?limit=7&filter=" + filter + "&cursor=" + cursor);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode body = JSON.readTree(answer.body());
            body.get("documents").forEach(d -> seen.add(d.get("id").asText()));
            cursor = body.get("next").isNull() ? null : body.get("next").asText();
        } while (cursor != null);
        assertEquals(new ArrayList<>(WRITTEN.keySet()), seen, "every document once, in id order, across the restart");
        for (Map.Entry<String, int[]> doc : WRITTEN.entrySet()) {
            HttpResponse<String> got = get(2, "/api/v1/documents/" + doc.getKey());
            assertEquals(200, got.statusCode(), got.body());
            assertEquals(
                    doc.getValue()[1],
                    JSON.readTree(got.body()).get("source").get("i").asInt());
        }
    }

    private static HttpResponse<String> delete(int node, String body) throws Exception {
        return send(
                node,
                HttpRequest.newBuilder(api(node, "/api/v1/documents/delete"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> get(int node, String path) throws Exception {
        return send(node, HttpRequest.newBuilder(api(node, path)).GET());
    }

    private static HttpResponse<String> send(int node, HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                authorized(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + KEY);
    }

    private static URI api(int node, String path) {
        return NODE[node].api(path);
    }
}
