package io.stupiddb.segments.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests refused before any resource sees them still get an RFC 9457 problem. */
@QuarkusTest
class HttpLayerProblemsTest {

    @Test
    void malformedEscapeInTheQueryIsAProblem() throws Exception {
        String answer = assertMalformedRequest(rawGet("/api/v1/documents?filter=%7B%22a%22%3A%22%ZZ%22%7D"));
        assertTrue(answer.contains("Malformed escape pair at index 41"), answer);
    }

    @Test
    void malformedEscapeInThePathIsAProblem() throws Exception {
        assertMalformedRequest(rawGet("/api/v1/documents/%ZZ"));
    }

    /** Vert.x Web fails the routing context itself (no Host header): the failure handler's case. */
    @Test
    void requestWithoutHostIsAProblem() throws Exception {
        String answer = assertMalformedRequest(raw("GET /api/v1/ping HTTP/1.1\r\nConnection: close\r\n\r\n"));
        assertTrue(answer.contains("Host"), answer);
    }

    private static String assertMalformedRequest(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("content-type: " + Problem.MEDIA_TYPE), answer);
        assertTrue(answer.contains("\"status\":400"), answer);
        assertTrue(answer.contains("\"title\":\"Malformed request\""), answer);
        assertTrue(answer.contains("\"type\":\"https://stupiddb.io/problems/malformed-request\""), answer);
        return answer;
    }

    /** java.net.URI (under REST Assured) refuses malformed escapes, so these go over a plain socket. */
    private static String rawGet(String target) throws Exception {
        return raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void uriBeyondTheApiLimitIsA414Problem() {
        String filter = "a".repeat(HttpLayerProblems.MAX_URI_LENGTH);
        given().urlEncodingEnabled(false)
                .get("/api/v1/documents?filter=" + filter)
                .then()
                .statusCode(414)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(414))
                .body("type", equalTo("https://stupiddb.io/problems/uri-too-long"))
                .body("detail", containsString("POST /api/v1/documents/search"));
    }

    @Test
    void uriJustWithinTheLimitReachesTheResource() {
        String prefix = "/api/v1/documents?limit=1&filter=";
        String filter = "{\"a\":\"" + "x".repeat(HttpLayerProblems.MAX_URI_LENGTH - prefix.length() - 30) + "\"}";
        String encoded = java.net.URLEncoder.encode(filter, StandardCharsets.UTF_8);
        String uri = prefix + encoded;
        assertTrue(uri.length() <= HttpLayerProblems.MAX_URI_LENGTH, "test URI fits: " + uri.length());
        given().urlEncodingEnabled(false).get(uri).then().statusCode(200);
    }

    /**
     * Past Netty's codec limit the answer is Vert.x's empty 414 (documented departure, no hook to
     * replace it); what matters is that the server stays up and answers the next request.
     */
    @Test
    void requestLineBeyondTheCodecLimitIsRefusedAndTheServerGoesOn() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (Socket socket = new Socket("localhost", port)) {
            String line =
                    "GET /api/v1/documents?filter=" + "a".repeat(300_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
            socket.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(answer.endsWith("414"), "status line: " + answer);
        }
        given().get("/api/v1/ping").then().statusCode(204);
    }
}
