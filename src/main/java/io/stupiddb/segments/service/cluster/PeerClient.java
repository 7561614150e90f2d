package io.stupiddb.segments.service.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stupiddb.segments.service.config.SegmentsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Requests from this node to its peers: one shared HTTP/1.1 client (keep-alive connection
 * pool), connect and request timeouts, the api key passed on, and the {@value #FORWARDED}
 * header that tells the peer to answer from its own data and never forward again (no loops).
 * Counts what it does in {@code segment_store_forwarded_requests_total{outcome}} and
 * {@code segment_store_fanout_requests_total{outcome}}.
 */
@ApplicationScoped
public class PeerClient {
    /** Marks a request sent by another node; its value is the sender's node id. */
    public static final String FORWARDED = "X-Segment-Store-Forwarded";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    private final Peers peers;
    private final Optional<String> apiKey;
    private final Counter forwardedOk;
    private final Counter forwardedFailed;
    private final Counter fanoutOk;
    private final Counter fanoutFailed;

    @Inject
    public PeerClient(SegmentsConfig config, MeterRegistry registry) {
        this.peers = Peers.parse(
                config.toStoreConfig().nodeId(), config.cluster().peers().orElse(null));
        this.apiKey = config.apiKey().filter(k -> !k.isBlank());
        this.forwardedOk = counter(registry, "segment.store.forwarded.requests", "ok");
        this.forwardedFailed = counter(registry, "segment.store.forwarded.requests", "failed");
        this.fanoutOk = counter(registry, "segment.store.fanout.requests", "ok");
        this.fanoutFailed = counter(registry, "segment.store.fanout.requests", "failed");
    }

    private static Counter counter(MeterRegistry registry, String name, String outcome) {
        return Counter.builder(name)
                .tag("outcome", outcome)
                .description("Requests this node sent to a peer (forwarded gets, fanned-out scans)")
                .register(registry);
    }

    public Peers peers() {
        return peers;
    }

    /** GET on the owner of a document; the body as bytes. @throws PeerUnavailableException when it does not answer */
    public HttpResponse<byte[]> forward(int node, String pathAndQuery, String accept) {
        HttpResponse<byte[]> response = send(
                node,
                request(node, pathAndQuery, accept).build(),
                HttpResponse.BodyHandlers.ofByteArray(),
                forwardedFailed);
        boolean damaged = isDamagedDocument(response);
        (response.statusCode() >= 500 && !damaged ? forwardedFailed : forwardedOk).increment();
        if (response.statusCode() >= 500 && !damaged) {
            throw new PeerUnavailableException(List.of(node), "node " + node + " answered " + response.statusCode());
        }
        return response;
    }

    /** Sends; a peer that does not answer counts in {@code failed} and is a {@link PeerUnavailableException}. */
    private <T> HttpResponse<T> send(
            int node, HttpRequest request, HttpResponse.BodyHandler<T> handler, Counter failed) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            failed.increment();
            throw unavailable(node, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(node, e);
        }
    }

    /**
     * The owner answered that its stored copy of the document is damaged: a fact about the
     * document, not a failing node, so it is passed back (a retry elsewhere cannot help).
     */
    private static boolean isDamagedDocument(HttpResponse<byte[]> response) {
        return response.statusCode() == 500
                && new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains("\"https://stupiddb.io/problems/document-damaged\"");
    }

    /** GET whose body is read as it arrives (a scan's NDJSON); the caller closes the stream. */
    public InputStream stream(int node, String pathAndQuery, String accept) {
        try {
            HttpResponse<InputStream> response =
                    http.send(request(node, pathAndQuery, accept).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String detail = new String(response.body().readNBytes(2048));
                response.body().close();
                fanoutFailed.increment();
                throw new PeerUnavailableException(
                        List.of(node), "node " + node + " answered " + response.statusCode() + ": " + detail);
            }
            fanoutOk.increment();
            return response.body();
        } catch (IOException e) {
            fanoutFailed.increment();
            throw unavailable(node, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(node, e);
        }
    }

    /**
     * POST of a JSON body to a peer (a fanned-out delete); the answer when it is a 200.
     *
     * @throws PeerUnavailableException when the peer does not answer or answers anything else
     */
    public HttpResponse<byte[]> post(int node, String path, String jsonBody) {
        HttpRequest request = request(node, path, "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        HttpResponse<byte[]> response = send(node, request, HttpResponse.BodyHandlers.ofByteArray(), fanoutFailed);
        if (response.statusCode() != 200) {
            fanoutFailed.increment();
            throw new PeerUnavailableException(
                    List.of(node),
                    "node " + node + " answered " + response.statusCode() + ": "
                            + new String(
                                    response.body(),
                                    0,
                                    Math.min(2048, response.body().length),
                                    java.nio.charset.StandardCharsets.UTF_8));
        }
        fanoutOk.increment();
        return response;
    }

    /** Counts a fanned-out stream that broke after it started. */
    public void streamFailed() {
        fanoutFailed.increment();
    }

    private HttpRequest.Builder request(int node, String pathAndQuery, String accept) {
        URI base = peers.uri(node);
        if (base == null) {
            throw new PeerUnavailableException(
                    List.of(node),
                    "node " + node + " is not in segments.cluster.peers (scaled down?); its documents are unavailable");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header(FORWARDED, Integer.toString(peers.self()))
                .header("Accept", accept)
                .GET();
        apiKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder;
    }

    private static PeerUnavailableException unavailable(int node, Exception cause) {
        PeerUnavailableException e =
                new PeerUnavailableException(List.of(node), "node " + node + " did not answer: " + cause);
        e.initCause(cause);
        return e;
    }
}
