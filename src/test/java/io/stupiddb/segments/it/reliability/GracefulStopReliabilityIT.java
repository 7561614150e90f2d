package io.stupiddb.segments.it.reliability;

import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while a write is half sent and a consumer follows the event stream (README "Stopping"):
 * readiness goes DOWN at once while requests are still served for the shutdown delay; the event
 * stream ends at once (it would otherwise hold the shutdown up to its timeout); the service then
 * waits for the write, answers it 201 when its last bytes arrive, and only then stops, seals, and
 * exits, well within the timeout. After a restart the write's documents are all there, once.
 * Without the wait, the half-sent write would lose its connection; without ending the stream,
 * the stop would take the whole timeout.
 */
class GracefulStopReliabilityIT {
    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aStopAnswersTheWriteInFlightAndEndsTheEventStream() throws Exception {
        Path work = Files.createTempDirectory(Settings.workDir(), "stop-");
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.rotation-check-interval", "1h")
                .set("quarkus.shutdown.delay", DELAY.toSeconds() + "s")
                .set("quarkus.shutdown.timeout", TIMEOUT.toSeconds() + "s");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Api api = new Api(service)) {
            service.start();
            assertEquals(
                    201,
                    api.post("/api/v1/documents", "application/json", Docs.json(1))
                            .status());
            assertEquals(
                    200, api.post("/api/v1/segments/rotate", null, new byte[0]).status());

            // A consumer of the event stream: it has seen the seal before the stop.
            List<Long> seen = new ArrayList<>();
            HttpResponse<Stream<String>> stream = http.send(
                    HttpRequest.newBuilder(service.api("/api/v1/events/stream"))
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, stream.statusCode());
            long[] streamEndedAt = {0};
            CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
                try (Stream<String> lines = stream.body()) {
                    lines.filter(line -> line.startsWith("id:")).forEach(line -> {
                        synchronized (seen) {
                            seen.add(Long.parseLong(line.substring(3).strip()));
                        }
                    });
                }
                streamEndedAt[0] = System.nanoTime();
            });
            waitFor(
                    () -> {
                        synchronized (seen) {
                            return !seen.isEmpty();
                        }
                    },
                    "the event stream to deliver the seal");

            // A write whose body is half sent when the stop begins.
            List<Long> uids = LongStream.range(1000, 1500).boxed().toList();
            byte[] body = Docs.ndjson(uids);
            int half = body.length / 2;
            try (Socket socket = new Socket("localhost", service.apiPort())) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/v1/documents HTTP/1.1\r\nHost: localhost\r\n"
                                + "Content-Type: application/x-ndjson\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, half);
                out.flush();
                Thread.sleep(200); // the service has read the headers and the first half

                long stopAt = System.nanoTime();
                service.signalStop();

                waitFor(() -> api.readiness().get("status").asText().equals("DOWN"), "readiness DOWN");
                long downMillis = millisSince(stopAt);
                if (downMillis < DELAY.toMillis()) { // still in the delay: requests are served as usual
                    assertEquals(200, api.get("/api/v1/segments").status(), "a request during the delay");
                }
                consumer.get(10, TimeUnit.SECONDS); // the stream ended, normally, long before the timeout
                long streamMillis = (streamEndedAt[0] - stopAt) / 1_000_000;
                synchronized (seen) {
                    assertEquals(List.of(1L), seen, "events seen before the stream ended");
                }

                Thread.sleep(Math.max(0, DELAY.toMillis() + 1000 - millisSince(stopAt)));
                assertTrue(service.isAlive(), "the service waits for the write in flight");
                out.write(body, half, body.length - half);
                out.flush();
                String answer = readAnswer(socket.getInputStream());
                long answeredMillis = millisSince(stopAt);
                assertTrue(answer.startsWith("HTTP/1.1 201"), "the write in flight was answered: " + answer);

                Integer exit = service.awaitExit(TIMEOUT);
                assertNotNull(exit, "the service exits once the write is answered");
                long exitMillis = millisSince(stopAt);
                assertTrue(
                        exitMillis < TIMEOUT.toMillis() / 2,
                        "stopped " + exitMillis + " ms after SIGTERM: something held the shutdown up to its timeout");
                Figures.record(
                        "graceful stop",
                        "SIGTERM with a write half sent and an event stream open: readiness DOWN after %d ms, the "
                                + "stream ended after %d ms, the write answered %s after %d ms, the process exited "
                                + "after %d ms (delay %s, timeout %s)",
                        downMillis,
                        streamMillis,
                        answer.substring(9, 12),
                        answeredMillis,
                        exitMillis,
                        DELAY,
                        TIMEOUT);
            }

            service.start();
            Map<Long, Integer> stored = new HashMap<>();
            List<String> wrong = new ArrayList<>();
            assertEquals(200, api.scanNdjson("", doc -> {
                long uid = doc.get("source").get("uid").asLong();
                stored.merge(uid, 1, Integer::sum);
                if (!Docs.matches(doc.get("source"), uid)) {
                    wrong.add(doc.toString());
                }
            }));
            for (long uid : uids) {
                assertEquals(1, stored.getOrDefault(uid, 0), "document " + uid + " of the answered write, stored once");
            }
            assertEquals(uids.size() + 1, stored.size(), "nothing else stored: " + stored.keySet());
            assertEquals(List.of(), wrong);
            service.stop();
        } finally {
            service.kill();
        }
        TestFiles.deleteRecursively(work);
    }

    /** The whole answer, up to the connection's close (the service closes it: it is stopping). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            in.transferTo(answer);
        } catch (IOException e) {
            if (answer.size() == 0) {
                throw e;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Polls {@code condition} every 20 ms for up to 10 s. */
    private static void waitFor(Callable<Boolean> condition, String what) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(condition);
    }
}
