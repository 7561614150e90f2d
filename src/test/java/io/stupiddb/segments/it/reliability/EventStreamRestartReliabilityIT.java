package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A consumer of {@code /api/v1/events/stream} across restarts of the service: it reconnects with
 * {@code Last-Event-ID} (as EventSource does) whenever the stream ends, and in the end has seen
 * every event of the journal exactly once, in seq order: no gap, no repeat, across a graceful
 * restart and a SIGKILL.
 */
class EventStreamRestartReliabilityIT {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();

    @Test
    void aConsumerResumingWithLastEventIdMissesAndRepeatsNothing() throws Exception {
        Path work = Files.createTempDirectory(Settings.workDir(), "sse-");
        ServiceLauncher service =
                Services.launcher(work, work.resolve("service.log")).set("segments.rotation-check-interval", "1h");
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> failures = new ArrayList<>();
        long expected = 0;
        try {
            service.start();
            Thread consumer = Thread.ofPlatform().start(() -> consume(service, running));
            Api api = new Api(service);
            for (int restart = 0; restart < 3; restart++) {
                for (int i = 0; i < 3; i++) {
                    api.post("/api/v1/documents", "application/json", Docs.json(restart * 10L + i));
                    api.post("/api/v1/segments/rotate", null, new byte[0]);
                }
                if (restart == 1) {
                    service.kill();
                    service.start();
                } else {
                    service.stop(); // seals nothing new: the active segment is empty
                    service.start();
                }
            }
            api.post("/api/v1/documents", "application/json", Docs.json(99));
            api.post("/api/v1/segments/rotate", null, new byte[0]);
            List<Long> journal = new ArrayList<>();
            for (JsonNode event : api.events()) {
                journal.add(event.get("seq").asLong());
            }
            expected = journal.size();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < journal.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            running.set(false);
            consumer.interrupt();
            consumer.join(10_000);
            synchronized (seen) {
                if (!seen.equals(journal)) {
                    failures.add("seen " + seen + " but the journal has " + journal);
                }
            }
            Figures.record(
                    "event stream across restarts",
                    "2 graceful restarts and 1 SIGKILL: %d events, seen %d through %d connections, in order, none "
                            + "twice",
                    expected,
                    seen.size(),
                    connections.get());
            service.stop();
        } finally {
            running.set(false);
            service.kill();
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures) + " (data in " + work + ")");
        }
        TestFiles.deleteRecursively(work);
    }

    /** Reads the stream; when it ends or fails, reconnects after the last id seen. */
    private void consume(ServiceLauncher service, AtomicBoolean running) {
        while (running.get()) {
            long last;
            synchronized (seen) {
                last = seen.isEmpty() ? 0 : seen.getLast();
            }
            try {
                connections.incrementAndGet();
                HttpResponse<Stream<String>> stream = http.send(
                        HttpRequest.newBuilder(service.api("/api/v1/events/stream"))
                                .header("Last-Event-ID", Long.toString(last))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = stream.body()) {
                    lines.takeWhile(line -> running.get())
                            .filter(line -> line.startsWith("id:"))
                            .forEach(line ->
                                    seen.add(Long.parseLong(line.substring(3).strip())));
                }
            } catch (IOException | RuntimeException e) {
                // the service went away: reconnect
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
