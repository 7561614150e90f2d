package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the API (every {@code @Path} resource method) with a header it cannot honour:
 * an {@code Accept} it cannot parse or serve (406), a {@code Content-Type} it cannot parse or read
 * (415), an {@code Authorization} that is not
 * the api key (401). Each answer is a problem+json, and no request that is refused changes
 * anything: the documents and the lifecycle journal are the same before and after.
 */
@QuarkusTest
@TestProfile(ApiKeyTest.WithKey.class)
class RequestHeadersTest {
    private static final String KEY = "Bearer s3cret-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> UNPARSABLE = List.of(
            "x",
            "text",
            ";",
            "a/b/c",
            "application/",
            "/json",
            "application/json;q",
            "application/json;charset=",
            "\"");
    /** Media types, but not weighted as RFC 9110 says (a qvalue is 0 to 1, three decimals at most). */
    private static final List<String> BAD_WEIGHTS =
            List.of("application/json;q=x", "application/json;q=1.5", "application/json;q=0.0001");

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String documentId;
    private String sealedSegment;
    private String activeSegment;
    private final List<String> failures = new ArrayList<>();

    /** One API call: method, path and the body it needs (null for none) with its media type. */
    private record Route(String method, String path, String contentType, String body, String accept) {
        boolean hasBody() {
            return body != null;
        }
    }

    @AfterEach
    void noFailures() {
        assertEquals("", String.join("\n", failures), failures.size() + " requests answered wrongly");
    }

    @BeforeEach
    void oneSealedAndOneActiveSegment() throws Exception {
        failures.clear();
        sealedSegment = JSON.readTree(
                        send("POST", "/api/v1/documents", "application/json", "{\"n\":1}", "application/json", KEY)
                                .body())
                .path("segment")
                .asText();
        assertEquals(
                200,
                send("POST", "/api/v1/segments/rotate", null, null, "application/json", KEY)
                        .statusCode());
        JsonNode written = JSON.readTree(
                send("POST", "/api/v1/documents", "application/json", "{\"n\":2}", "application/json", KEY)
                        .body());
        documentId = written.path("id").asText();
        activeSegment = written.path("segment").asText();
    }

    private List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/documents", "application/json", "{\"bad\":\"header\"}", "application/json"),
                new Route(
                        "POST",
                        "/api/v1/documents",
                        "application/x-ndjson",
                        "{\"bad\":1}\n{\"bad\":2}\n",
                        "application/json"),
                new Route("GET", "/api/v1/documents/" + documentId, null, null, "application/json"),
                new Route("GET", "/api/v1/documents?limit=5", null, null, "application/json"),
                new Route("GET", "/api/v1/documents?limit=5", null, null, "application/x-ndjson"),
                new Route("HEAD", "/api/v1/documents?limit=5", null, null, "application/json"),
                new Route("POST", "/api/v1/documents/search", "application/json", "{\"limit\":5}", "application/json"),
                new Route("GET", "/api/v1/segments", null, null, "application/json"),
                new Route("GET", "/api/v1/segments?scope=cluster", null, null, "application/json"),
                new Route("GET", "/api/v1/segments/" + activeSegment, null, null, "application/json"),
                new Route("POST", "/api/v1/segments/rotate", null, null, "application/json"),
                new Route("POST", "/api/v1/segments/evict", null, null, "application/json"),
                new Route("POST", "/api/v1/segments/" + sealedSegment + "/salvage", null, null, "application/json"),
                new Route("DELETE", "/api/v1/segments/" + sealedSegment, null, null, "application/json"),
                new Route("GET", "/api/v1/events?after=0&limit=5", null, null, "application/json"),
                new Route("GET", "/api/v1/events/stream", null, null, "text/event-stream"),
                new Route("GET", "/api/v1/store", null, null, "application/json"),
                new Route("GET", "/api/v1/ping", null, null, "*/*"));
    }

    @Test
    void theGoodHeadersOfEveryRouteAreAccepted() throws Exception {
        for (Route route : routes()) {
            if (route.path().endsWith("/stream") || !route.method().equals("GET")) {
                continue; // a stream never ends; side effects are not wanted here
            }
            Answer answer = send(route.method(), route.path(), route.contentType(), route.body(), route.accept(), KEY);
            assertTrue(answer.statusCode() < 300, route + " -> " + answer.statusCode() + " " + answer.body());
        }
    }

    @Test
    void anAcceptNoRouteCanParseIs406AndChangesNothing() throws Exception {
        for (Route route : routes()) {
            for (String accept : concat(UNPARSABLE, BAD_WEIGHTS)) {
                assertRefused(route, route.contentType(), accept, KEY, 406);
            }
        }
    }

    @Test
    void anAcceptTheRouteCannotServeIs406AndChangesNothing() throws Exception {
        for (Route route : routes()) {
            if (route.path().equals("/api/v1/ping")) {
                continue; // 204: no representation to choose, any Accept will do
            }
            for (String accept : List.of("image/png", "text/html", "application/xml;q=0.9, image/*")) {
                assertRefused(route, route.contentType(), accept, KEY, 406);
            }
        }
    }

    @Test
    void aContentTypeNoRouteCanParseIsRefusedAndChangesNothing() throws Exception {
        for (Route route : routes()) {
            for (String contentType : UNPARSABLE) {
                assertRefused(route, contentType, route.accept(), KEY, 415);
            }
        }
    }

    @Test
    void aBodyInAContentTypeTheRouteCannotReadIs415AndChangesNothing() throws Exception {
        for (Route route : routes()) {
            if (route.hasBody()) {
                for (String contentType : List.of("text/plain", "application/xml", "application/jsonx")) {
                    assertRefused(route, contentType, route.accept(), KEY, 415);
                }
            }
        }
    }

    @Test
    void anAuthorizationThatIsNotTheKeyIs401AndChangesNothing() throws Exception {
        List<String> wrong = new ArrayList<>(List.of(
                "Bearer wrong",
                "Basic czNjcmV0LWtleQ==",
                "Bearer",
                "Bearer ",
                "s3cret-key",
                "Bearer s3cret-key-but-longer",
                "Bearer s3cret-ke",
                "Bearer s3cret-key x",
                "x",
                ";"));
        wrong.add(null);
        for (Route route : routes()) {
            for (String authorization : wrong) {
                assertRefused(route, route.contentType(), route.accept(), authorization, 401);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Sends the request and records in {@link #failures} each way its answer is not the expected problem. */
    private void assertRefused(Route route, String contentType, String accept, String authorization, int status)
            throws Exception {
        State before = state();
        Answer answer = send(route.method(), route.path(), contentType, route.body(), accept, authorization);
        String what = route.method() + " " + route.path() + " with Content-Type " + contentType + ", Accept "
                + accept + ", Authorization " + authorization + " -> " + answer.statusCode() + " "
                + answer.contentType().orElse("") + " " + answer.body();
        if (answer.statusCode() != status) {
            failures.add("not " + status + ": " + what);
        }
        if (!answer.contentType().equals(Optional.of(Problem.MEDIA_TYPE))) {
            failures.add("not problem+json: " + what);
        } else if (!route.method().equals("HEAD")) {
            JsonNode problem = JSON.readTree(answer.body());
            if (problem.path("status").asInt() != status
                    || !problem.path("type").asText().startsWith("https://")) {
                failures.add("not a problem of status " + status + ": " + what);
            }
        }
        State after = state();
        if (!after.equals(before)) {
            failures.add("changed the store from " + before + " to " + after + ": " + what);
        }
    }

    /** What a request could change: documents stored, segments, the journal's last event. */
    private record State(long documents, List<String> segments, long lastEvent) {}

    private State state() throws IOException, InterruptedException {
        JsonNode segments = JSON.readTree(send("GET", "/api/v1/segments", null, null, "application/json", KEY)
                        .body())
                .path("segments");
        long documents = 0;
        List<String> ids = new ArrayList<>();
        for (JsonNode segment : segments) {
            documents += segment.path("documents").asLong();
            ids.add(segment.path("id").asText() + ":" + segment.path("state").asText());
        }
        long last = 0;
        long next;
        do {
            next = last;
            last = JSON.readTree(
                            send("GET", "/api/v1/events?limit=10000&after=" + next, null, null, "application/json", KEY)
                                    .body())
                    .path("next")
                    .asLong();
        } while (last != next);
        return new State(documents, ids, last);
    }

    private Answer send(
            String method, String path, String contentType, String body, String accept, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            // An event stream that was wrongly opened never ends: its first bytes are enough.
            boolean stream =
                    response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            String text = new String(stream ? in.readNBytes(0) : in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type"), text);
        }
    }

    /** Status, media type and body of an answer. */
    private record Answer(int statusCode, Optional<String> contentType, String body) {}
}
