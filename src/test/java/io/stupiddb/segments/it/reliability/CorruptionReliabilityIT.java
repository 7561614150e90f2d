package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue item 3, corrupted segment files. A data directory of 17 sealed segments is written once
 * through the packaged service. Each round copies it, damages 12 segments at rest, one per
 * combination of damage (a flipped byte, a zeroed 4 KiB page, a truncation) and region (header,
 * records, index, footer) at random offsets, starts the service, and flips a record byte of a 13th
 * segment while the service has it mapped. Then it reads everything (gets of every id, NDJSON and
 * paged scans) and checks: every damaged segment is detected (100%), quarantined (file moved to
 * {@code quarantine/}), listed in readiness, counted in {@code segment_store_corrupt_segments_total}
 * and journaled as SEGMENT_QUARANTINED; no read ever returns other content than was written; the
 * only error answer is the documented 500 {@code corrupt-segment} at the moment of detection; every
 * document of the 4 intact segments is served identically throughout; the service still writes.
 *
 * <p>{@code -Dreliability.corruption.rounds} (CI 1, long run 10). The journal's damage cases are
 * {@link JournalCorruptionReliabilityIT}.
 */
class CorruptionReliabilityIT {
    private static final int SEGMENTS = 16;
    private static final int PER_SEGMENT = 60;
    private static Path work;
    private static Path pristine;
    /** id → uid of every document, and id → segment. */
    private static final Map<UUID, Long> uids = new LinkedHashMap<>();

    private static final Map<UUID, String> segmentOf = new HashMap<>();
    private static final List<String> segmentIds = new ArrayList<>();

    @BeforeAll
    static void writeSegments() throws Exception {
        work = Files.createTempDirectory(Settings.workDir(), "corruption-");
        pristine = work.resolve("pristine");
        ServiceLauncher service = Services.launcher(pristine, work.resolve("prepare.log"))
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        try {
            service.start();
            Api api = new Api(service);
            long uid = 1;
            for (int s = 0; s <= SEGMENTS; s++) {
                List<Long> batch = new ArrayList<>();
                for (int i = 0; i < (s == 0 ? 400 : PER_SEGMENT); i++) { // enough for a trained dictionary
                    batch.add(uid++);
                }
                Api.Response written = api.post("/api/v1/documents", "application/json", Docs.jsonArray(batch));
                if (written.status() != 201) {
                    throw new AssertionError("prepare: " + written);
                }
                JsonNode documents = written.json().get("documents");
                for (int i = 0; i < batch.size(); i++) {
                    UUID id = UUID.fromString(documents.get(i).get("id").asText());
                    uids.put(id, batch.get(i));
                    segmentOf.put(id, documents.get(i).get("segment").asText());
                }
                if (s < SEGMENTS) {
                    Api.Response rotated = api.post("/api/v1/segments/rotate", null, new byte[0]);
                    if (rotated.status() != 200) {
                        throw new AssertionError("rotate: " + rotated);
                    }
                    // Let the background dictionary training finish now and then, so later segments carry one.
                    if (s == 1) {
                        Thread.sleep(1500);
                    }
                }
            }
        } finally {
            service.stop(); // graceful: the last segment is sealed too
        }
        try (Stream<Path> files = Files.list(pristine.resolve("data"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".seg"))
                    .sorted()
                    .forEach(n -> segmentIds.add(n.substring(0, n.length() - 4)));
        }
        if (segmentIds.size() != SEGMENTS + 1) {
            throw new AssertionError("expected " + (SEGMENTS + 1) + " sealed segments, got " + segmentIds);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null && passed) {
            TestFiles.deleteRecursively(work);
        }
    }

    private static boolean passed;

    @Test
    void damagedSegmentsAreAllDetectedAndQuarantinedAndTheRestIsServed() throws Exception {
        int rounds = Settings.integer("reliability.corruption.rounds", 1, 10);
        SplittableRandom random = Settings.random("corruption");
        List<String> failures = new ArrayList<>();
        int damaged = 0;
        int detected = 0;
        for (int round = 1; round <= rounds && failures.isEmpty(); round++) {
            int[] counts = round(round, random, failures);
            damaged += counts[0];
            detected += counts[1];
        }
        Figures.record(
                "corruption (segments)",
                "%d rounds, %d damaged segments (flip, zeroed page, truncation × "
                        + "header, records, index, footer, plus a flip under a live mapping), %d detected and quarantined; "
                        + "intact segments served throughout",
                rounds,
                damaged,
                detected);
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (data in " + work + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
        passed = true;
    }

    /** One round; returns {damaged, detected}. */
    private int[] round(int round, SplittableRandom random, List<String> failures) throws Exception {
        Path dir = work.resolve("round-" + round);
        TestFiles.copyRecursively(pristine, dir);
        Path data = dir.resolve("data");
        // Pick the victims: 12 at rest, one live; the rest stay intact.
        List<String> shuffled = new ArrayList<>(segmentIds);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
        }
        Map<String, String> victims = new LinkedHashMap<>(); // segment → what was done
        int next = 0;
        for (Damage.Kind kind : Damage.Kind.values()) {
            for (Damage.Region region : Damage.Region.values()) {
                String segment = shuffled.get(next++);
                Path file = data.resolve(segment + ".seg");
                String what;
                do {
                    what = Damage.apply(file, kind, region, random);
                } while (what.contains("already zero"));
                victims.put(segment, kind + " " + what);
            }
        }
        String live = shuffled.get(next++);
        Set<String> intact = new HashSet<>(shuffled.subList(next, shuffled.size()));

        ServiceLauncher service = Services.launcher(dir, dir.resolve("service.log"))
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        try {
            service.start();
            Api api = new Api(service);
            // The 13th: damaged while mapped (a record byte), found by the next read of it.
            victims.put(
                    live,
                    "FLIP (live) "
                            + Damage.apply(
                                    data.resolve(live + ".seg"), Damage.Kind.FLIP, Damage.Region.RECORDS, random));

            // Read everything: a get of every id, then full scans until one goes through.
            Set<String> errors = new HashSet<>();
            for (Map.Entry<UUID, Long> doc : uids.entrySet()) {
                checkRead(
                        api.get("/api/v1/documents/" + doc.getKey()),
                        doc.getValue(),
                        segmentOf.get(doc.getKey()),
                        intact,
                        failures,
                        errors);
            }
            {
                for (int attempt = 0; attempt < 20; attempt++) {
                    try {
                        int status = api.scanNdjson("", d -> checkScanned(d, intact, failures));
                        if (status == 200) {
                            break;
                        }
                        if (status != 500) {
                            failures.add("NDJSON scan answered " + status);
                        }
                    } catch (IOException cut) {
                        // a segment failed its check mid-stream: the stream is cut, the segment quarantined
                    }
                }
                try {
                    api.scanPaged(1000).forEach(d -> checkScanned(d, intact, failures));
                } catch (AssertionError e) {
                    if (!e.getMessage().contains("corrupt-segment")) {
                        failures.add(e.getMessage());
                    }
                }
            }
            if (!errors.isEmpty()) {
                failures.add("round " + round + ": unexpected answers " + errors);
            }

            // Every victim detected, and visibly so.
            JsonNode ready = api.readiness();
            String quarantined = ready.path("checks")
                    .path(0)
                    .path("data")
                    .path("quarantined")
                    .asText("");
            List<JsonNode> events = api.events();
            Set<String> journaled = new HashSet<>();
            for (JsonNode event : events) {
                if (event.get("type").asText().equals("SEGMENT_QUARANTINED")) {
                    journaled.add(event.get("segment").asText());
                }
            }
            Set<String> inQuarantine = new HashSet<>();
            try (Stream<Path> files = Files.list(data.resolve("quarantine"))) {
                files.forEach(p -> inQuarantine.add(p.getFileName().toString().replaceAll("\\.seg\\.\\d+$", "")));
            }
            int detected = 0;
            for (Map.Entry<String, String> victim : victims.entrySet()) {
                String id = victim.getKey();
                boolean ok = quarantined.contains(id + ".seg.")
                        && journaled.contains(id)
                        && inQuarantine.contains(id)
                        && !Files.exists(data.resolve(id + ".seg"));
                if (ok) {
                    detected++;
                } else {
                    failures.add("round " + round + ": NOT detected/quarantined: " + id + " (" + victim.getValue()
                            + "): readiness " + quarantined.contains(id) + ", event " + journaled.contains(id)
                            + ", quarantine dir " + inQuarantine.contains(id));
                }
            }
            double metric = api.metric("segment_store_corrupt_segments_total");
            if (metric != victims.size()) {
                failures.add("round " + round + ": segment_store_corrupt_segments_total " + metric + ", expected "
                        + victims.size());
            }
            if (journaled.size() != victims.size() || inQuarantine.size() != victims.size()) {
                failures.add("round " + round + ": quarantined more than the victims: events " + journaled + ", files "
                        + inQuarantine);
            }
            // Intact segments: every document, identical; the scan is exactly them.
            List<UUID> expected = new ArrayList<>();
            for (Map.Entry<UUID, Long> doc : uids.entrySet()) {
                if (intact.contains(segmentOf.get(doc.getKey()))) {
                    expected.add(doc.getKey());
                    Api.Response got = api.get("/api/v1/documents/" + doc.getKey());
                    if (got.status() != 200 || !Docs.matches(got.json().get("source"), doc.getValue())) {
                        failures.add("round " + round + ": intact document " + doc.getKey() + ": " + got);
                    }
                }
            }
            List<UUID> scanned = new ArrayList<>();
            if (api.scanNdjson("", d -> scanned.add(UUID.fromString(d.get("id").asText()))) != 200
                    || !scanned.equals(expected)) {
                failures.add("round " + round + ": final scan has " + scanned.size() + " documents, the intact "
                        + "segments " + expected.size());
            }
            // Still takes writes.
            Api.Response write = api.post("/api/v1/documents", "application/json", Docs.json(1_000_000 + round));
            if (write.status() != 201) {
                failures.add("round " + round + ": write after quarantine: " + write);
            }
            String log = service.logOfLastStart();
            if (log.contains("SIGBUS") || log.contains("A fatal error has been detected")) {
                failures.add("round " + round + ": the JVM crashed: see " + service.log());
            }
            System.out.printf(
                    "corruption round %d: %d damaged, %d detected; %s%n", round, victims.size(), detected, victims);
            int damaged = victims.size();
            service.stop();
            if (failures.isEmpty()) {
                TestFiles.deleteRecursively(dir);
            }
            return new int[] {damaged, detected};
        } finally {
            service.kill();
        }
    }

    /** A get: identical content (any segment), 404 once its segment is quarantined, or the documented 500 at detection. */
    private static void checkRead(
            Api.Response got, long uid, String segment, Set<String> intact, List<String> failures, Set<String> errors) {
        switch (got.status()) {
            case 200 -> {
                if (!Docs.matches(got.json().get("source"), uid)) {
                    failures.add("WRONG DATA returned for uid " + uid + ": " + got);
                }
            }
            case 404 -> {
                if (intact.contains(segment)) {
                    failures.add("intact document of " + segment + " answered 404");
                }
            }
            case 500 -> {
                if (!got.isProblem() || !got.text().contains("corrupt-segment") || intact.contains(segment)) {
                    errors.add(got.toString());
                }
            }
            default -> errors.add(got.toString());
        }
    }

    private static void checkScanned(JsonNode doc, Set<String> intact, List<String> failures) {
        long uid = doc.path("source").path("uid").asLong(-1);
        if (!Docs.matches(doc.get("source"), uid)) {
            failures.add("WRONG DATA in a scan: " + doc);
        }
    }
}
