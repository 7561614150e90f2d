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
 * Corrupted segment files. A data directory of 17 sealed segments is written once through the
 * packaged service. Each round copies it, damages 12 segments at rest, one per combination of
 * damage (a flipped byte, a zeroed 4 KiB page, a truncation) and region (header, records, index,
 * footer) at random offsets, starts the service, and flips a record byte of a 13th segment while
 * the service has it mapped. Then it reads everything (gets of every id, NDJSON and paged scans)
 * and checks that the damage is contained at the granularity at which it exists: every damaged
 * segment is detected (100%) either as damaged records (the segment stays in service, a
 * DOCUMENTS_DAMAGED event names exactly the documents lost, readiness and GET /segments/{id} count
 * them, every other document of it is served identically) or, when its header, footer or index is
 * damaged, as a whole (quarantined: file moved to {@code quarantine/}, listed in readiness,
 * counted in {@code segment_store_corrupt_segments_total}, journaled as SEGMENT_QUARANTINED); a
 * get of a lost document answers 500 {@code document-damaged}, never 404 (except where the
 * quarantined file's header or footer is gone, so its id range is unknown); no read ever returns
 * other content than was written; every document of the 4 intact segments is served identically
 * throughout; the service still writes.
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
    void damageIsDetectedEverywhereAndContainedToWhatIsDamaged() throws Exception {
        int rounds = Settings.integer("reliability.corruption.rounds", 1, 10);
        SplittableRandom random = Settings.random("corruption");
        List<String> failures = new ArrayList<>();
        int[] totals = new int[4];
        for (int round = 1; round <= rounds && failures.isEmpty(); round++) {
            int[] counts = round(round, random, failures);
            for (int i = 0; i < totals.length; i++) {
                totals[i] += counts[i];
            }
        }
        Figures.record(
                "corruption (segments)",
                "%d rounds, %d damaged segments (flip, zeroed page, truncation × header, records, index, footer, plus "
                        + "a flip under a live mapping), %d detected: %d as damaged records (%d documents lost, the "
                        + "rest of those segments served), the others quarantined whole; intact segments served "
                        + "throughout",
                rounds,
                totals[0],
                totals[1],
                totals[2],
                totals[3]);
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (data in " + work + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
        passed = true;
    }

    /** One round; returns {damaged, detected, contained, documents lost in contained segments}. */
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
            Map<UUID, Integer> answered = new HashMap<>();
            Set<String> errors = new HashSet<>();
            for (Map.Entry<UUID, Long> doc : uids.entrySet()) {
                Api.Response got = api.get("/api/v1/documents/" + doc.getKey());
                answered.put(doc.getKey(), got.status());
                checkRead(got, doc.getValue(), segmentOf.get(doc.getKey()), intact, failures, errors);
            }
            for (int attempt = 0; attempt < 20; attempt++) {
                try {
                    int status = api.scanNdjson("", d -> checkScanned(d, failures));
                    if (status == 200) {
                        break;
                    }
                    if (status != 500) {
                        failures.add("NDJSON scan answered " + status);
                    }
                } catch (IOException cut) {
                    // a segment's index failed its check mid-stream: the stream is cut, the segment quarantined
                }
            }
            try {
                api.scanPaged(1000).forEach(d -> checkScanned(d, failures));
            } catch (AssertionError e) {
                if (!e.getMessage().contains("corrupt-segment")) {
                    failures.add(e.getMessage());
                }
            }
            if (!errors.isEmpty()) {
                failures.add("round " + round + ": unexpected answers " + errors);
            }

            // Every victim detected, visibly, as exactly one of: damaged records, or quarantined whole.
            JsonNode readyData = api.storeCheckData();
            String quarantined = readyData.path("quarantined").asText("");
            String damagedReady = readyData.path("damagedRecords").asText("");
            Set<String> journaledQuarantine = new HashSet<>();
            Map<String, Set<UUID>> lost = new HashMap<>();
            for (JsonNode event : api.events()) {
                String segment = event.get("segment").asText();
                switch (event.get("type").asText()) {
                    case "SEGMENT_QUARANTINED" -> journaledQuarantine.add(segment);
                    case "DOCUMENTS_DAMAGED" ->
                        event.get("ids")
                                .forEach(id -> lost.computeIfAbsent(segment, s -> new HashSet<>())
                                        .add(UUID.fromString(id.asText())));
                    default -> {}
                }
            }
            Set<String> inQuarantine = new HashSet<>();
            try (Stream<Path> files = Files.list(data.resolve("quarantine"))) {
                files.forEach(p -> inQuarantine.add(p.getFileName().toString().replaceAll("\\.seg\\.\\d+$", "")));
            }
            int detected = 0;
            int contained = 0;
            int lostDocuments = 0;
            for (Map.Entry<String, String> victim : victims.entrySet()) {
                String id = victim.getKey();
                boolean whole = quarantined.contains(id + ".seg.")
                        && journaledQuarantine.contains(id)
                        && inQuarantine.contains(id)
                        && !Files.exists(data.resolve(id + ".seg"));
                Set<UUID> lostHere = lost.getOrDefault(id, Set.of());
                boolean records = !lostHere.isEmpty()
                        && damagedReady.contains(id + ": " + lostHere.size())
                        && !journaledQuarantine.contains(id)
                        && Files.exists(data.resolve(id + ".seg"))
                        && api.get("/api/v1/segments/" + id)
                                        .json()
                                        .path("damagedRecords")
                                        .asInt()
                                == lostHere.size();
                if (whole != records) {
                    detected++;
                } else {
                    failures.add("round " + round + ": NOT detected (or both ways): " + id + " (" + victim.getValue()
                            + "): quarantined " + whole + ", damaged records " + lostHere.size() + " " + records);
                    continue;
                }
                boolean rangeKnown = whole && headerAndFooterIntact(data, id);
                if (records) {
                    contained++;
                    lostDocuments += lostHere.size();
                }
                for (Map.Entry<UUID, Long> doc : uids.entrySet()) {
                    if (!segmentOf.get(doc.getKey()).equals(id)) {
                        continue;
                    }
                    boolean isLost = whole || lostHere.contains(doc.getKey());
                    Api.Response got = api.get("/api/v1/documents/" + doc.getKey());
                    boolean ok = isLost
                            ? (got.status() == 500 && got.text().contains("document-damaged"))
                                    || (got.status() == 404 && !rangeKnown && whole)
                            : got.status() == 200 && Docs.matches(got.json().get("source"), doc.getValue());
                    if (!ok || (answered.get(doc.getKey()) == 404 && (records || rangeKnown))) {
                        failures.add("round " + round + ": document " + doc.getKey() + " of " + id + " ("
                                + (isLost ? "lost" : "intact") + ", first answer " + answered.get(doc.getKey())
                                + "): " + got);
                    }
                }
            }
            double metric = api.metric("segment_store_corrupt_segments_total");
            if (metric != victims.size() - contained) {
                failures.add("round " + round + ": segment_store_corrupt_segments_total " + metric + ", expected "
                        + (victims.size() - contained));
            }
            if (api.metric("segment_store_damaged_records_total") != lostDocuments) {
                failures.add("round " + round + ": segment_store_damaged_records_total "
                        + api.metric("segment_store_damaged_records_total") + ", expected " + lostDocuments);
            }
            Set<String> touched = new HashSet<>(journaledQuarantine);
            touched.addAll(lost.keySet());
            touched.addAll(inQuarantine);
            if (!victims.keySet().containsAll(touched)) {
                failures.add("round " + round + ": damage reported beyond the victims: events " + touched);
            }
            // The final scan: exactly every document not lost, in id order.
            List<UUID> expected = new ArrayList<>();
            for (Map.Entry<UUID, Long> doc : uids.entrySet()) {
                String segment = segmentOf.get(doc.getKey());
                boolean gone = inQuarantine.contains(segment)
                        || lost.getOrDefault(segment, Set.of()).contains(doc.getKey());
                if (!gone) {
                    expected.add(doc.getKey());
                }
                if (intact.contains(segment)) {
                    Api.Response got = api.get("/api/v1/documents/" + doc.getKey());
                    if (got.status() != 200 || !Docs.matches(got.json().get("source"), doc.getValue())) {
                        failures.add("round " + round + ": intact document " + doc.getKey() + ": " + got);
                    }
                }
            }
            List<UUID> scanned = new ArrayList<>();
            if (api.scanNdjson("", d -> scanned.add(UUID.fromString(d.get("id").asText()))) != 200
                    || !scanned.equals(expected)) {
                failures.add("round " + round + ": final scan has " + scanned.size() + " documents, expected "
                        + expected.size());
            }
            // Still takes writes.
            Api.Response write = api.post("/api/v1/documents", "application/json", Docs.json(1_000_000 + round));
            if (write.status() != 201) {
                failures.add("round " + round + ": write after damage: " + write);
            }
            String log = service.logOfLastStart();
            if (log.contains("SIGBUS") || log.contains("A fatal error has been detected")) {
                failures.add("round " + round + ": the JVM crashed: see " + service.log());
            }
            System.out.printf(
                    "corruption round %d: %d damaged, %d detected, %d contained (%d documents lost); %s%n",
                    round, victims.size(), detected, contained, lostDocuments, victims);
            int damaged = victims.size();
            service.stop();
            if (failures.isEmpty()) {
                TestFiles.deleteRecursively(dir);
            }
            return new int[] {damaged, detected, contained, lostDocuments};
        } finally {
            service.kill();
        }
    }

    /** Whether the quarantined copy of {@code segment} still has the pristine header and footer (its id range is readable). */
    private static boolean headerAndFooterIntact(Path data, String segment) throws IOException {
        Path original = pristine.resolve("data").resolve(segment + ".seg");
        Path copy;
        try (Stream<Path> files = Files.list(data.resolve("quarantine"))) {
            copy = files.filter(p -> p.getFileName().toString().startsWith(segment + ".seg."))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] a = Files.readAllBytes(original);
        byte[] b = Files.readAllBytes(copy);
        long headerEnd = Damage.layout(original).headerEnd();
        return a.length == b.length
                && java.util.Arrays.equals(a, 0, (int) headerEnd, b, 0, (int) headerEnd)
                && java.util.Arrays.equals(a, a.length - 96, a.length, b, b.length - 96, b.length);
    }

    /** A get: identical content, or the documented 500 of a damaged document; 404 never for an intact segment. */
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
                if (!got.isProblem() || !got.text().contains("document-damaged") || intact.contains(segment)) {
                    errors.add(got.toString());
                }
            }
            default -> errors.add(got.toString());
        }
    }

    private static void checkScanned(JsonNode doc, List<String> failures) {
        long uid = doc.path("source").path("uid").asLong(-1);
        if (!Docs.matches(doc.get("source"), uid)) {
            failures.add("WRONG DATA in a scan: " + doc);
        }
    }
}
