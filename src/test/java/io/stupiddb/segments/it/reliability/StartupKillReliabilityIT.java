package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILL during start-up recovery, repeatedly, at random points. A store is written through the
 * packaged service (sealed segments and an active one with documents) and the service killed,
 * so each start has recovery to do; then the service is started and killed again at a random
 * moment of its start (0 to 1.25 × the time a start took: before, during or just after
 * recovery) many times.
 * The last start must recover the same store: every acknowledged document, identical, once, in
 * id order; nothing quarantined; readiness UP; journal seqs strictly increasing.
 *
 * <p>{@code -Dreliability.startkill.cycles} (CI 6, long run 40).
 */
class StartupKillReliabilityIT {
    @Test
    void killsDuringStartUpRecoveryLeaveTheSameStore() throws Exception {
        int cycles = Settings.integer("reliability.startkill.cycles", 6, 40);
        SplittableRandom random = Settings.random("startkill");
        Path work = Files.createTempDirectory(Settings.workDir(), "startkill-");
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        Map<UUID, Long> acked = new TreeMap<>(io.stupiddb.segments.id.DocumentIds::compare);
        List<String> failures = new ArrayList<>();
        try {
            long firstStartMs = service.start();
            Api api = new Api(service);
            long uid = 1;
            for (int round = 0; round < 6; round++) {
                List<Long> batch = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    batch.add(uid++);
                }
                Api.Response written = api.post("/api/v1/documents", "application/json", Docs.jsonArray(batch));
                if (written.status() != 201) {
                    throw new AssertionError("write: " + written);
                }
                JsonNode documents = written.json().get("documents");
                for (int i = 0; i < batch.size(); i++) {
                    acked.put(UUID.fromString(documents.get(i).get("id").asText()), batch.get(i));
                }
                if (round < 5) {
                    api.post("/api/v1/segments/rotate", null, new byte[0]);
                }
            }
            service.kill(); // the last segment stays active: recovery has work at every start
            List<Long> killedAt = new ArrayList<>();
            for (int cycle = 0; cycle < cycles; cycle++) {
                // Within the time a start takes here (launch to ready), so most kills land in recovery.
                long delay = random.nextLong(Math.max(200, firstStartMs * 5 / 4));
                service.launch();
                Thread.sleep(delay);
                service.kill();
                killedAt.add(delay);
            }
            long readyMs = service.start(Duration.ofSeconds(90));
            Api after = new Api(service);
            List<UUID> scanned = new ArrayList<>();
            int status = after.scanNdjson("", doc -> {
                UUID id = UUID.fromString(doc.get("id").asText());
                scanned.add(id);
                Long expected = acked.get(id);
                if (expected == null || !Docs.matches(doc.get("source"), expected)) {
                    failures.add("document " + id + " is not what was acknowledged: " + doc);
                }
            });
            if (status != 200 || !scanned.equals(new ArrayList<>(acked.keySet()))) {
                failures.add("scan " + status + ": " + scanned.size() + " documents, acknowledged " + acked.size());
            }
            JsonNode ready = after.readiness();
            if (!"UP".equals(ready.path("status").asText())
                    || !after.storeCheckData().path("quarantined").asText("").isEmpty()) {
                failures.add("readiness: " + ready);
            }
            long previous = 0;
            for (JsonNode event : after.events()) {
                long seq = event.get("seq").asLong();
                if (seq <= previous || event.get("type").asText().equals("SEGMENT_QUARANTINED")) {
                    failures.add("journal: " + event);
                }
                previous = seq;
            }
            Figures.record(
                    "startup kills",
                    "%d SIGKILLs during start-up (at %s ms after launch), then a start (ready in %d ms): %d of %d "
                            + "acknowledged documents recovered identical, %d failures",
                    cycles,
                    killedAt,
                    readyMs,
                    scanned.size(),
                    acked.size(),
                    failures.size());
            service.stop();
        } finally {
            service.kill();
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (data in " + work + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        TestFiles.deleteRecursively(work);
    }
}
