package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue item 3, the lifecycle journal. A data directory with 18 journaled events (8 seals, 8 archives,
 * 2 evictions, the last event) is written once; each case copies it, damages the journal file at rest and starts the
 * packaged service. The journal's contract (docs/JOURNAL.md) is to refuse to open on damage it can
 * tell from a crash: the service must then not start (exit ≠ 0, log names the journal file and the
 * offset) rather than serve a journal with a hole. Any case where it does start must serve exactly
 * the events it served before: same seq, type and segment (no loss, no reuse).
 */
class JournalCorruptionReliabilityIT {
    private static Path work;
    private static Path pristine;
    private static List<JsonNode> events;
    private static boolean passed = true;

    /** One damage to the journal file. */
    record Case(String name, Damage.Kind kind, long offset) {}

    /** What the service did with it. */
    record Outcome(Case damage, boolean refused, String detail, List<String> differences) {
        boolean detected() {
            return refused || differences.isEmpty();
        }
    }

    @BeforeAll
    static void writeJournal() throws Exception {
        work = Files.createTempDirectory(Settings.workDir(), "journal-corruption-");
        pristine = work.resolve("pristine");
        ServiceLauncher service = Services.launcher(pristine, work.resolve("prepare.log"))
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1s")
                .set("segments.archive-after", "1ms")
                .set("segments.archive-compression-level", "3");
        try {
            service.start();
            Api api = new Api(service);
            long uid = 1;
            for (int s = 0; s < 8; s++) {
                Api.Response written =
                        api.post("/api/v1/documents", "application/json", Docs.jsonArray(List.of(uid++, uid++, uid++)));
                if (written.status() != 201) {
                    throw new AssertionError(written.toString());
                }
                api.post("/api/v1/segments/rotate", null, new byte[0]);
            }
            // Every event type: the scheduler archives the sealed segments, then two are evicted last.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (api.events().stream()
                                    .filter(e -> e.get("type").asText().equals("SEGMENT_ARCHIVED"))
                                    .count()
                            < 8
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            List<JsonNode> segments = api.segments();
            api.delete("/api/v1/segments/" + segments.get(0).get("id").asText());
            api.delete("/api/v1/segments/" + segments.get(1).get("id").asText());
            events = api.events(); // the active segment is empty: stopping adds no event
        } finally {
            service.stop();
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null && passed) {
            TestFiles.deleteRecursively(work);
        }
    }

    private static Path journalFile(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
            if (logs.size() != 1) {
                throw new AssertionError("expected one journal file: " + logs);
            }
            return logs.getFirst();
        }
    }

    /** Record start offsets in the journal file (16-byte header, then u32 length | u32 crc | payload). */
    private static List<Long> recordOffsets(Path journal) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ)) {
            long at = 16;
            ByteBuffer length = ByteBuffer.allocate(4);
            while (at + 8 <= channel.size()) {
                length.clear();
                channel.read(length, at);
                offsets.add(at);
                at += 8 + Integer.toUnsignedLong(length.getInt(0));
            }
        }
        return offsets;
    }

    private Outcome run(Case damage, SplittableRandom random) throws Exception {
        Path dir = work.resolve(damage.name());
        TestFiles.copyRecursively(pristine, dir);
        Path journal = journalFile(dir.resolve("data"));
        String what = Damage.apply(journal, damage.kind(), damage.offset(), random);
        ServiceLauncher service = Services.launcher(dir, dir.resolve("service.log"))
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        try {
            service.launch();
            try {
                service.awaitReady(Duration.ofSeconds(90));
            } catch (IllegalStateException exited) {
                String log = service.logOfLastStart();
                boolean named = log.contains(journal.getFileName().toString());
                return new Outcome(
                        damage,
                        true,
                        what + "; exit " + service.awaitExit(Duration.ofSeconds(5))
                                + (named ? ", log names the file" : ", log does NOT name the file"),
                        named ? List.of() : List.of("the refusal does not name the journal file"));
            }
            List<JsonNode> now = new Api(service).events();
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                JsonNode before = events.get(i);
                JsonNode after = i < now.size() ? now.get(i) : null;
                if (after == null) {
                    differences.add("seq " + before.get("seq") + " ("
                            + before.get("type").asText() + " "
                            + before.get("segment").asText() + ") is gone");
                } else if (!before.get("seq").equals(after.get("seq"))
                        || !before.get("type").equals(after.get("type"))
                        || !before.get("segment").equals(after.get("segment"))) {
                    differences.add("seq " + before.get("seq") + " was "
                            + before.get("type").asText() + " "
                            + before.get("segment").asText() + ", now " + after.get("seq") + " "
                            + after.get("type").asText() + " "
                            + after.get("segment").asText() + " (REUSED)");
                }
            }
            return new Outcome(
                    damage,
                    false,
                    what + "; started, " + now.size() + " events (had " + events.size() + ")",
                    differences);
        } finally {
            service.kill();
        }
    }

    /** Damage the journal can tell from a torn append: the service refuses to start and says where. */
    @Test
    void damageThatIsNotATornTailStopsTheServiceAndNamesTheFile() throws Exception {
        SplittableRandom random = Settings.random("journal-corruption");
        Path journal = journalFile(pristine.resolve("data"));
        List<Long> records = recordOffsets(journal);
        long size = Files.size(journal);
        int middle = records.size() / 2;
        List<Case> all = List.of(
                new Case("flip-header", Damage.Kind.FLIP, random.nextLong(16)),
                new Case(
                        "flip-first-record",
                        Damage.Kind.FLIP,
                        records.get(0) + random.nextLong(records.get(1) - records.get(0))),
                new Case(
                        "flip-middle-record",
                        Damage.Kind.FLIP,
                        records.get(middle) + random.nextLong(records.get(middle + 1) - records.get(middle))),
                new Case(
                        "flip-second-to-last-record",
                        Damage.Kind.FLIP,
                        records.get(records.size() - 2)
                                + random.nextLong(records.getLast() - records.get(records.size() - 2))),
                new Case("zero-first-page", Damage.Kind.ZERO_PAGE, 0),
                new Case("truncate-inside-header", Damage.Kind.TRUNCATE, 1 + random.nextLong(15)));
        // CI: three of them (each is a JVM start); the long run all.
        List<Case> cases = Settings.longRun() ? all : List.of(all.get(0), all.get(2), all.get(4));
        List<String> failures = new ArrayList<>();
        List<String> table = new ArrayList<>();
        for (Case damage : cases) {
            Outcome outcome = run(damage, random);
            table.add(damage.name() + ": " + (outcome.refused() ? "refused to start" : "started") + " — "
                    + outcome.detail());
            if (!outcome.refused()) {
                failures.add(damage.name() + ": the service started on a damaged journal: " + outcome.detail() + " "
                        + outcome.differences());
            } else if (!outcome.differences().isEmpty()) {
                failures.add(damage.name() + ": " + outcome.differences());
            }
        }
        table.forEach(System.out::println);
        Figures.record(
                "corruption (journal)",
                "%d damage cases that are not a torn tail, %d refused with the file "
                        + "named (%d events in the journal, %d bytes)",
                cases.size(),
                cases.size() - failures.size(),
                events.size(),
                size);
        if (!failures.isEmpty()) {
            passed = false;
            fail(String.join("\n", failures));
        }
    }

    /**
     * Damage at the journal's tail could pass for a torn append (a bad last record) or for a clean
     * end (a cut at a record boundary). The high-water file (docs/JOURNAL.md) tells them apart: the
     * events were acknowledged, so the service refuses to start instead of dropping them.
     */
    @Test
    void damageAtTheTailIsNotTakenForATornAppend() throws Exception {
        SplittableRandom random = Settings.random("journal-tail");
        Path journal = journalFile(pristine.resolve("data"));
        List<Long> records = recordOffsets(journal);
        int middle = records.size() / 2;
        List<Case> cases = List.of(
                new Case(
                        "flip-last-record",
                        Damage.Kind.FLIP,
                        records.getLast() + 8 + random.nextLong(Files.size(journal) - records.getLast() - 8)),
                new Case("truncate-at-record-boundary", Damage.Kind.TRUNCATE, records.get(middle)),
                new Case("truncate-inside-a-middle-record", Damage.Kind.TRUNCATE, records.get(middle) + 3));
        List<String> failures = new ArrayList<>();
        for (Case damage : cases) {
            Outcome outcome = run(damage, random);
            System.out.println(damage.name() + ": " + (outcome.refused() ? "refused to start" : "started") + " — "
                    + outcome.detail() + " " + outcome.differences());
            if (!outcome.detected()) {
                failures.add(damage.name() + ": " + outcome.detail() + ": " + outcome.differences());
            }
        }
        if (!failures.isEmpty()) {
            fail("undetected journal damage:\n" + String.join("\n", failures));
        }
    }
}
