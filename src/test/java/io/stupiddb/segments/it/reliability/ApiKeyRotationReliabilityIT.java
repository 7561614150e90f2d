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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The api key rotated (restart with a new {@code segments.api-key}) while clients write: one
 * client keeps the old key, one has the new one from the start. Before the restart only the old
 * key writes, after it only the new one; every refusal is 401 problem+json with
 * {@code WWW-Authenticate: Bearer} and writes nothing; during the restart a client sees only
 * refused connections; every acknowledged document is there afterwards, identical; a write whose
 * answer the restart cut off (the connection failed with the request sent) may be there, once, as
 * with any write in flight when a server stops; nothing else is.
 */
class ApiKeyRotationReliabilityIT {
    private static final String OLD = "old-key-" + System.nanoTime();
    private static final String NEW = "new-key-" + System.nanoTime();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Long, Long> acked = new ConcurrentSkipListMap<>(); // uid → phase
    /** Writes that got no answer (the connection failed): their outcome is unknown to the client. */
    private final Set<Long> cutOff = new ConcurrentSkipListSet<>();

    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong uids = new AtomicLong();
    /** 0 before the restart, 1 while restarting, 2 after. */
    private volatile int phase;

    @Test
    void onlyTheKeyInEffectWritesAndNothingRefusedLands() throws Exception {
        Path work = Files.createTempDirectory(Settings.workDir(), "apikey-");
        ServiceLauncher service =
                Services.launcher(work, work.resolve("service.log")).set("segments.api-key", OLD);
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            service.start();
            List<Thread> clients = List.of(
                    Thread.ofPlatform().start(() -> write(service, OLD, running)),
                    Thread.ofPlatform().start(() -> write(service, NEW, running)));
            Thread.sleep(1500);
            phase = 1;
            service.stop();
            service.set("segments.api-key", NEW);
            service.start();
            phase = 2;
            Thread.sleep(1500);
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
            Map<Long, JsonNode> stored = new TreeMap<>();
            HttpResponse<String> scan = http.send(
                    HttpRequest.newBuilder(service.api("/api/v1/documents"))
                            .header("Authorization", "Bearer " + NEW)
                            .header("Accept", "application/x-ndjson")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : scan.body().split("\n")) {
                if (!line.isBlank()) {
                    JsonNode source = Api.JSON.readTree(line).get("source");
                    long uid = source.get("uid").asLong();
                    if (!Docs.matches(source, uid) || stored.put(uid, source) != null) {
                        failures.add("stored document wrong or twice: " + line);
                    }
                }
            }
            // every acknowledged write is stored; a write whose answer the restart cut off (the
            // client saw the connection fail) may be stored or not, once; nothing else is
            Set<Long> missing = new TreeSet<>(acked.keySet());
            missing.removeAll(stored.keySet());
            Set<Long> unacknowledged = new TreeSet<>(stored.keySet());
            unacknowledged.removeAll(acked.keySet());
            Set<Long> unexplained = new TreeSet<>(unacknowledged);
            unexplained.removeAll(cutOff);
            if (scan.statusCode() != 200 || !missing.isEmpty() || !unexplained.isEmpty()) {
                failures.add("scan " + scan.statusCode() + ": " + stored.size() + " stored, " + acked.size()
                        + " acknowledged; acknowledged and missing " + missing + ", stored and neither acknowledged"
                        + " nor cut off " + unexplained);
            }
            Figures.record(
                    "api key rotation",
                    "old key then restart with a new one, 2 writing clients: answers %s; %d acknowledged, %d stored"
                            + " (%d of them from writes whose answer the restart cut off)",
                    new TreeMap<>(answers),
                    acked.size(),
                    stored.size(),
                    unacknowledged.size());
            service.stop();
        } finally {
            running.set(false);
            service.kill();
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (data in " + work + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        TestFiles.deleteRecursively(work);
    }

    private void write(ServiceLauncher service, String key, AtomicBoolean running) {
        String who = key.equals(OLD) ? "old" : "new";
        while (running.get()) {
            long uid = uids.incrementAndGet();
            int before = phase;
            try {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(service.api("/api/v1/documents"))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(Docs.json(uid)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                int after = phase;
                answers.computeIfAbsent(who + " key " + answer.statusCode(), k -> new AtomicLong())
                        .incrementAndGet();
                // While restarting (phase 1) either process may answer; outside it, only the key in effect writes.
                boolean mayWrite = key.equals(OLD) ? before <= 1 : after >= 1;
                boolean mayRefuse = key.equals(OLD) ? after >= 1 : before <= 1;
                if (answer.statusCode() == 201) {
                    acked.put(uid, (long) before); // whatever the key, an acknowledged write must be stored
                    if (!mayWrite) {
                        failures.add(who + " key wrote in phase " + before + "→" + after);
                    }
                } else if (answer.statusCode() == 401 && mayRefuse) {
                    if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                            || !answer.headers()
                                    .firstValue("WWW-Authenticate")
                                    .orElse("")
                                    .startsWith("Bearer")) {
                        failures.add(who + " key: 401 without problem+json or WWW-Authenticate: " + answer.headers());
                    }
                } else {
                    failures.add(who + " key in phase " + before + "→" + after + ": " + answer.statusCode() + " "
                            + answer.body());
                }
            } catch (IOException e) {
                cutOff.add(uid); // sent, perhaps stored, never answered
                answers.computeIfAbsent(who + " key connection refused", k -> new AtomicLong())
                        .incrementAndGet();
                if (phase == 0 && before == 0) {
                    failures.add(who + " key: connection failed before the restart: " + e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
