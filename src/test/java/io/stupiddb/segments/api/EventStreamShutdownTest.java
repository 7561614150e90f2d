package io.stupiddb.segments.api;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The event stream when the service begins to stop (Quarkus fires {@link
 * ShutdownDelayInitiatedEvent} as readiness goes DOWN): an open stream ends after what it was
 * sent, and one opened from then on gets the kept events and ends, so no stream holds up the
 * graceful shutdown. Its own application (the event leaves the feed stopping for good);
 * {@code GracefulStopReliabilityIT} does the same with a real SIGTERM.
 */
@QuarkusTest
@TestProfile(EventStreamShutdownTest.OwnApplication.class)
class EventStreamShutdownTest {
    public static final class OwnApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.rotation-check-interval", "1h");
        }
    }

    @TestHTTPResource("/api/v1/events/stream")
    URL stream;

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdown;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void streamsEndWhenTheServiceBeginsToStop() throws Exception {
        sealOne();
        CompletableFuture<List<String>> open = ids(0);
        // the open stream stays open: it delivers a live event after its replay
        sealOne();
        Thread.sleep(300);
        assertFalse(open.isDone(), "an open stream ends only when the service stops");

        shutdown.fire(new ShutdownDelayInitiatedEvent());
        List<String> seen = open.get(10, TimeUnit.SECONDS);
        assertEquals(2, seen.size(), "the open stream ended after both seals: " + seen);
        assertEquals(
                seen.subList(1, 2),
                ids(Long.parseLong(seen.getFirst())).get(10, TimeUnit.SECONDS),
                "a stream opened while stopping: the replay, then the end");
    }

    private void sealOne() {
        given().contentType(ContentType.JSON)
                .body("{\"x\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201);
        given().post("/api/v1/segments/rotate").then().statusCode(200);
    }

    /** The ids of the stream after {@code after}, once the stream has ended. */
    private CompletableFuture<List<String>> ids(long after) throws Exception {
        HttpResponse<Stream<String>> response = http.send(
                HttpRequest.newBuilder(URI.create(stream.toString()))
                        .header("Accept", "text/event-stream")
                        .header("Last-Event-ID", Long.toString(after))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                return lines.filter(line -> line.startsWith("id:"))
                        .map(line -> line.substring(3).strip())
                        .toList();
            }
        });
    }
}
