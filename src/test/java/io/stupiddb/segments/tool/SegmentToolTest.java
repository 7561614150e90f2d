package io.stupiddb.segments.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.journal.JournalCorruptedException;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's tool on the committed golden files and on damaged copies of them. */
class SegmentToolTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/v1");
    private static final Path GOLDEN_V2 = Path.of("src/test/resources/golden/v2");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new SegmentTool(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void inspectShowsHeaderFooterCountsAndCompression() {
        assertEquals(
                SegmentTool.OK, run("inspect", GOLDEN.resolve("golden-zstd.seg").toString()));
        String text = out();
        assertTrue(text.contains("segment:          golden-zstd"), text);
        assertTrue(text.contains("format version:   1"), text);
        assertTrue(text.contains("documents:        40"), text);
        assertTrue(text.contains("codec:            zstd level 3, dictionary"), text);
        assertTrue(text.contains("time range:       2026-11-25T12:00:00Z .. 2026-11-25T12:39:00Z"), text);
        assertTrue(text.matches("(?s).*compression:      [0-9.]+x over MessagePack.*"), text);
    }

    @Test
    void inspectShowsTheColumnIndexOfAV2FileAndThatAV1FileHasNone() {
        assertEquals(
                SegmentTool.OK,
                run("inspect", GOLDEN_V2.resolve("golden-zstd.seg").toString()));
        String text = out();
        assertTrue(text.contains("format version:   2"), text);
        assertTrue(text.contains("documents:        40"), text);
        assertTrue(
                text.matches("(?s).*column index:     3 granule\\(s\\) of up to 16 rows, [0-9]+ bytes of columns.*"),
                text);
        assertTrue(text.contains("  column http.status: integer, in 40 of 40 sampled documents"), text);
        assertTrue(text.contains("  column level: string"), text);
        assertEquals(
                SegmentTool.OK, run("inspect", GOLDEN.resolve("golden-none.seg").toString()));
        assertTrue(out().contains("column index:     none (format v1; the store compacts it to v2)"), out());
        assertEquals(
                SegmentTool.OK, run("inspect", GOLDEN.resolve("golden-zstd.seg").toString()));
        assertTrue(out().contains("column index:     none (format v1)"), out());
    }

    @Test
    void verifyAndDumpHandleV2Files(@TempDir Path dir) throws Exception {
        Files.copy(GOLDEN_V2.resolve("golden-zstd.seg"), dir.resolve("golden-zstd.seg"));
        assertEquals(
                SegmentTool.OK, run("verify", dir.resolve("golden-zstd.seg").toString()));
        assertEquals(SegmentTool.OK, run("dump", dir.resolve("golden-zstd.seg").toString()));
        assertEquals(
                Files.readAllLines(GOLDEN_V2.resolve("expected.ndjson")).size(),
                out().lines().count());
        byte[] bytes = Files.readAllBytes(dir.resolve("golden-zstd.seg"));
        bytes[bytes.length - 200] ^= 0x04; // inside the column index
        Files.write(dir.resolve("golden-zstd.seg"), bytes);
        assertEquals(
                SegmentTool.CORRUPT,
                run("verify", dir.resolve("golden-zstd.seg").toString()));
    }

    @Test
    void dumpPrintsEveryDocumentAsNdjsonAndOneById() throws Exception {
        assertEquals(
                SegmentTool.OK, run("dump", GOLDEN.resolve("golden-none.seg").toString()));
        List<String> lines = out().lines().toList();
        List<String> expected = Files.readAllLines(GOLDEN.resolve("expected.ndjson"));
        assertEquals(expected.size(), lines.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.getFirst());
        JsonNode want = json.readTree(expected.getFirst());
        assertEquals(want.get("id"), first.get("id"));
        assertEquals(want.get("source"), first.get("source"));
        assertEquals("golden-none", first.get("segment").asText());

        String id = json.readTree(expected.get(7)).get("id").asText();
        assertEquals(
                SegmentTool.OK, run("dump", GOLDEN.resolve("golden-zstd.seg").toString(), "--id", id));
        assertEquals(id, json.readTree(out().strip()).get("id").asText());
        assertEquals(
                SegmentTool.USAGE,
                run(
                        "dump",
                        GOLDEN.resolve("golden-zstd.seg").toString(),
                        "--id",
                        "0190aaaa-0000-7000-8000-000000000000"));
        assertEquals(
                SegmentTool.USAGE, run("dump", GOLDEN.resolve("golden-zstd.seg").toString(), "--id", "nope"));
    }

    @Test
    void verifyPassesGoodFilesAndExitsNonZeroOnAnyCorruption(@TempDir Path dir) throws Exception {
        Files.copy(GOLDEN.resolve("golden-none.seg"), dir.resolve("golden-none.seg"));
        Files.copy(GOLDEN.resolve("golden-zstd.seg"), dir.resolve("golden-zstd.seg"));
        assertEquals(SegmentTool.OK, run("verify", dir.toString()));
        assertTrue(out().contains("2 segment file(s) checked: all good"), out());

        byte[] bytes = Files.readAllBytes(dir.resolve("golden-zstd.seg"));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(dir.resolve("golden-zstd.seg"), bytes);
        assertEquals(SegmentTool.CORRUPT, run("verify", dir.toString()));
        assertTrue(out().contains("CORRUPT"), out());
        assertEquals(
                SegmentTool.CORRUPT,
                run("verify", dir.resolve("golden-zstd.seg").toString()));
        assertEquals(
                SegmentTool.OK, run("verify", dir.resolve("golden-none.seg").toString()));
    }

    @Test
    void inspectOfADirectoryInspectsEverySegmentInIt(@TempDir Path dir) throws Exception {
        Files.copy(GOLDEN.resolve("golden-none.seg"), dir.resolve("golden-none.seg"));
        Files.copy(GOLDEN.resolve("golden-zstd.seg"), dir.resolve("golden-zstd.seg"));
        Files.createFile(dir.resolve(".lock"));
        Files.createDirectories(dir.resolve("journal"));
        assertEquals(SegmentTool.OK, run("inspect", dir.toString()));
        String text = out();
        assertTrue(text.contains("segment:          golden-none"), text);
        assertTrue(text.contains("segment:          golden-zstd"), text);
        assertTrue(text.indexOf("golden-none") < text.indexOf("golden-zstd"), "in id order: " + text);
        assertTrue(text.contains("\n\nfile:"), "a blank line between segments: " + text);

        byte[] bytes = Files.readAllBytes(dir.resolve("golden-zstd.seg"));
        Files.write(dir.resolve("golden-zstd.seg"), java.util.Arrays.copyOf(bytes, 100));
        assertEquals(SegmentTool.CORRUPT, run("inspect", dir.toString()));
        assertTrue(out().contains("segment:          golden-none") && out().contains("CORRUPT"), out());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(SegmentTool.OK, run("inspect", empty.toString()));
        assertTrue(out().contains("no segment files"), out());
    }

    @Test
    void aHealthyJournalFileIsNotCalledCorruptButNotASegment(@TempDir Path dataDir) throws Exception {
        Path journalDir = dataDir.resolve("journal");
        try (LifecycleJournal journal = new LifecycleJournal(journalDir, InstantSource.system())) {
            journal.append(LifecycleEvent.Draft.sealed("seg-1", 1L, 2L, 3));
        }
        Path journalFile;
        try (Stream<Path> files = Files.list(journalDir)) {
            journalFile = files.filter(p -> p.getFileName().toString().startsWith("journal-"))
                    .findFirst()
                    .orElseThrow();
        }
        for (String command : List.of("verify", "inspect", "dump")) {
            assertEquals(SegmentTool.USAGE, run(command, journalFile.toString()), command);
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(
                    message.contains("is not a segment file") && message.contains("lifecycle journal file"), message);
            assertTrue(!out().contains("CORRUPT") && !message.contains("CORRUPT"), message);
        }
        assertEquals(SegmentTool.OK, run("verify", journalDir.toString()));
        assertTrue(out().contains("0 segment file(s) checked"), out());
    }

    @Test
    void badUsageGetsAClearMessageAndExitCode2() {
        assertEquals(SegmentTool.USAGE, run());
        assertEquals(SegmentTool.USAGE, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
        assertEquals(SegmentTool.USAGE, run("inspect", "/no/such/file.seg"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
        assertEquals(SegmentTool.USAGE, run("inspect"));
        assertEquals(SegmentTool.OK, run("--help"));
    }

    @Test
    void journalRepairSetsADamagedJournalAsideSoItOpensAgainAndNeverReusesASeq(@TempDir Path dataDir) throws Exception {
        Path journalDir = dataDir.resolve("journal");
        try (LifecycleJournal journal = new LifecycleJournal(journalDir, InstantSource.system())) {
            for (int i = 0; i < 6; i++) {
                journal.append(LifecycleEvent.Draft.sealed("seg-" + i, 1L, 2L, 3));
            }
        }
        Path file;
        try (Stream<Path> files = Files.list(journalDir)) {
            file = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1); // the last record, acknowledged, now damaged
        }
        assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(journalDir, InstantSource.system()));

        assertEquals(SegmentTool.OK, run("journal-repair", dataDir.toString()));
        assertTrue(out().contains("set aside " + journalDir.resolve("corrupted-")), out());
        try (LifecycleJournal journal = new LifecycleJournal(journalDir, InstantSource.system())) {
            assertTrue(journal.append(LifecycleEvent.Draft.sealed("seg-9", 1L, 2L, 3))
                            .seq()
                    > 6);
        }
        assertEquals(SegmentTool.OK, run("journal-repair", dataDir.toString()));
        assertTrue(out().contains("is healthy"), out());
    }

    @Test
    void journalRepairRefusesADirectoryInUseAndBadArguments(@TempDir Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("journal"));
        try (FileChannel channel = FileChannel.open(
                        dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                var lock = channel.lock()) {
            assertEquals(SegmentTool.USAGE, run("journal-repair", dataDir.toString()));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("is in use"));
        }
        assertEquals(SegmentTool.USAGE, run("journal-repair"));
        assertEquals(
                SegmentTool.USAGE,
                run("journal-repair", dataDir.resolve("nothing-here").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file"));
    }
}
