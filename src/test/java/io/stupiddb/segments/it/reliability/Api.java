package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestDocuments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A small HTTP client of the service's API (SPEC §2) for the reliability tests. Thread-safe. */
final class Api implements AutoCloseable {
    static final ObjectMapper JSON = TestDocuments.JSON;
    static final ObjectMapper MSGPACK = TestDocuments.MSGPACK;

    private final ServiceLauncher service;
    private final HttpClient http;

    Api(ServiceLauncher service) {
        this.service = service;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /** A response with its body as bytes. */
    record Response(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + text(), e);
            }
        }

        boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + contentType + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    Response post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.api(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    Response postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    Response get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(service.api(pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build());
    }

    Response get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build());
    }

    Response delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(service.api(path))
                .timeout(Duration.ofSeconds(60))
                .DELETE()
                .build());
    }

    Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }

    /**
     * Streams {@code GET /documents} as NDJSON (every document, no limit) to {@code each}.
     *
     * @return the HTTP status
     */
    int scanNdjson(String query, Consumer<JsonNode> each) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        service.api("/api/v1/documents" + (query.isEmpty() ? "" : "?" + query)))
                .header("Accept", "application/x-ndjson")
                .timeout(Duration.ofMinutes(5))
                .GET()
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                return response.statusCode();
            }
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    each.accept(JSON.readTree(line));
                }
            }
        }
        return 200;
    }

    /** Every document of a scan through {@code GET /documents?limit=&cursor=} pages. */
    List<JsonNode> scanPaged(int limit) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        while (true) {
            Response page = get("/api/v1/documents?limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            if (page.status() != 200) {
                throw new AssertionError("paged scan: " + page);
            }
            JsonNode body = page.json();
            body.get("documents").forEach(all::add);
            JsonNode next = body.get("next");
            if (next == null || next.isNull()) {
                return all;
            }
            cursor = next.asText();
        }
    }

    /** The whole lifecycle journal through {@code GET /events?after=&limit=}. */
    List<JsonNode> events() throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        long after = 0;
        while (true) {
            Response page = get("/api/v1/events?after=" + after + "&limit=1000");
            if (page.status() != 200) {
                throw new AssertionError("events: " + page);
            }
            JsonNode events = page.json().get("events");
            if (events.isEmpty()) {
                return all;
            }
            events.forEach(all::add);
            after = page.json().get("next").asLong();
        }
    }

    List<JsonNode> segments() throws IOException, InterruptedException {
        Response list = get("/api/v1/segments");
        if (list.status() != 200) {
            throw new AssertionError("segments: " + list);
        }
        List<JsonNode> all = new ArrayList<>();
        list.json().get("segments").forEach(all::add);
        return all;
    }

    /** {@code /q/health/ready} (200 or 503) as JSON. */
    JsonNode readiness() throws IOException, InterruptedException {
        return get(service.management("/q/health/ready")).json();
    }

    /**
     * The data of readiness's {@code segment-store} check (found by name: readiness also lists
     * Quarkus' {@code Graceful Shutdown} check, in no fixed order); missing when it is not there.
     */
    JsonNode storeCheckData() throws IOException, InterruptedException {
        for (JsonNode check : readiness().path("checks")) {
            if (check.path("name").asText().equals("segment-store")) {
                return check.path("data");
            }
        }
        return MissingNode.getInstance();
    }

    /** The value of one Prometheus sample without labels (or with exactly these labels), NaN if absent. */
    double metric(String name) throws IOException, InterruptedException {
        String text = get(service.management("/q/metrics")).text();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** Closes the client's connections (they are file descriptors in the service too). */
    @Override
    public void close() {
        http.close();
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
