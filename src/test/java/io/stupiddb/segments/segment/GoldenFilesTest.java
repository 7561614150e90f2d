package io.stupiddb.segments.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.DictionaryFixture;
import io.stupiddb.segments.testing.TestDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Segment files of formats v1 and v2, committed under {@code src/test/resources/golden/v<N>}, must
 * stay readable by every later build ("old versions stay readable"), and today's writers must still
 * produce the uncompressed ones byte for byte (a format change has to bump the version).
 * Regenerate only when adding a new version's files:
 * {@code ./mvnw test -Dtest=GoldenFilesTest -Dgolden.regenerate=true}.
 */
class GoldenFilesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/v1");
    private static final Path GOLDEN_V2 = Path.of("src/test/resources/golden/v2");
    /** Small granules, so the golden v2 files hold several (40 documents: 16 + 16 + 8). */
    private static final ColumnSettings COLUMNS = ColumnSettings.DEFAULT.withGranuleRows(16);

    private static final Instant CREATED = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant SEALED = Instant.parse("2026-11-25T13:00:00Z");

    /** Deterministic content: 40 documents, ids and timestamps fixed. */
    private static List<NewDocument> documents() {
        TestDocuments generator = new TestDocuments(2026);
        List<NewDocument> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long timestamp = CREATED.toEpochMilli() + i * 60_000L;
            UUID id =
                    new UUID((CREATED.toEpochMilli() + i) << 16 | 0x7000L | i, 0x8000_0000_0000_0000L | (5L << 52) | i);
            ObjectNode doc = generator.logEvent(timestamp);
            docs.add(new NewDocument(id, timestamp, TestDocuments.msgpack(doc)));
        }
        return docs;
    }

    private static Path write(Path dir, String id, Codec codec, byte[] dictionary) throws IOException {
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create(id, CREATED.toEpochMilli(), codec, codec == Codec.ZSTD ? 3 : 0, 5, dictionary),
                DurabilityMode.NEVER,
                InstantSource.fixed(SEALED));
        active.append(documents());
        SealedSegment sealed = active.seal();
        sealed.close();
        return sealed.path();
    }

    /** The v1 file compacted to v2, as the compactor does. */
    private static Path writeV2(Path dir, String id, Codec codec, byte[] dictionary) throws IOException {
        Path v1 = write(Files.createDirectories(dir.resolve("v1")), id, Codec.NONE, null);
        Path target = dir.resolve(id + ".seg");
        try (SealedSegment source = SealedSegment.open(v1, SegmentState.SEALED)) {
            SealedSegmentWriter.write(
                    source,
                    SegmentHeader.create(id, CREATED.toEpochMilli(), codec, codec == Codec.ZSTD ? 3 : 0, 5, null),
                    COLUMNS,
                    samples -> dictionary,
                    target);
        }
        return target;
    }

    @Test
    void regenerateWhenAsked() throws IOException {
        if (!Boolean.getBoolean("golden.regenerate")) {
            return;
        }
        Files.createDirectories(GOLDEN);
        Files.copy(
                write(Files.createTempDirectory("g"), "golden-none", Codec.NONE, null),
                GOLDEN.resolve("golden-none.seg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                write(Files.createTempDirectory("g"), "golden-zstd", Codec.ZSTD, DictionaryFixture.dictionary()),
                GOLDEN.resolve("golden-zstd.seg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        StringBuilder expected = new StringBuilder();
        for (NewDocument doc : documents()) {
            ObjectNode line = TestDocuments.JSON.createObjectNode();
            line.put("id", doc.id().toString());
            line.put("timestamp", doc.timestamp());
            line.set("source", TestDocuments.JSON.valueToTree(TestDocuments.decode(doc.source())));
            expected.append(line).append('\n');
        }
        Files.writeString(GOLDEN.resolve("expected.ndjson"), expected.toString());
        Files.createDirectories(GOLDEN_V2);
        Files.copy(
                writeV2(Files.createTempDirectory("g"), "golden-none", Codec.NONE, null),
                GOLDEN_V2.resolve("golden-none.seg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                writeV2(Files.createTempDirectory("g"), "golden-zstd", Codec.ZSTD, DictionaryFixture.dictionary()),
                GOLDEN_V2.resolve("golden-zstd.seg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(GOLDEN_V2.resolve("expected.ndjson"), expected.toString());
    }

    @Test
    void version1FilesReadBackExactly() throws Exception {
        readBackExactly(GOLDEN, FormatVersion.V1);
    }

    @Test
    void version2FilesReadBackExactly() throws Exception {
        assertEquals(FormatVersion.V2, FormatVersion.CURRENT, "add golden files when the version changes");
        readBackExactly(GOLDEN_V2, FormatVersion.V2);
        // The column index of the golden file plans as it did when it was written.
        String filter = "{\"level\":\"error\",\"http.status\":{\"$gte\":500}}";
        io.stupiddb.segments.query.Filter parsed = io.stupiddb.segments.query.Filter.parse(filter);
        List<String> expected = Files.readAllLines(GOLDEN_V2.resolve("expected.ndjson"), StandardCharsets.UTF_8);
        List<String> matching = new ArrayList<>();
        for (String line : expected) {
            JsonNode doc = TestDocuments.JSON.readTree(line);
            if (parsed.matches(doc.get("source"))) {
                matching.add(doc.get("id").asText());
            }
        }
        for (String name : List.of("golden-none.seg", "golden-zstd.seg")) {
            try (SealedSegment segment = SealedSegment.open(GOLDEN_V2.resolve(name), SegmentState.SEALED)) {
                assertEquals(3, segment.columns().orElseThrow().granules());
                List<String> planned = new ArrayList<>();
                try (DocumentCursor cursor = segment.scan(new ScanSpec(
                        Long.MIN_VALUE,
                        Long.MAX_VALUE,
                        null,
                        parsed::matches,
                        java.util.Optional.of(io.stupiddb.segments.query.plan.BlockPlanner.compile(filter))))) {
                    while (cursor.advance()) {
                        planned.add(cursor.id().toString());
                    }
                }
                assertEquals(matching, planned, name);
            }
        }
    }

    private static void readBackExactly(Path golden, int version) throws Exception {
        List<String> expected = Files.readAllLines(golden.resolve("expected.ndjson"), StandardCharsets.UTF_8);
        for (String name : List.of("golden-none.seg", "golden-zstd.seg")) {
            SealedSegment segment = SealedSegment.open(golden.resolve(name), SegmentState.SEALED);
            try {
                assertEquals(version, segment.header().version());
                assertEquals(5, segment.header().nodeId());
                assertEquals(SEALED.toEpochMilli(), segment.footer().sealedAtMillis());
                segment.verify();
                int i = 0;
                try (DocumentCursor cursor = segment.scan(ScanSpec.ALL)) {
                    while (cursor.advance()) {
                        JsonNode line = TestDocuments.JSON.readTree(expected.get(i++));
                        assertEquals(line.get("id").asText(), cursor.id().toString());
                        assertEquals(line.get("timestamp").asLong(), cursor.timestamp());
                        assertEquals(
                                line.get("source"),
                                TestDocuments.JSON.valueToTree(TestDocuments.decode(cursor.source())),
                                name);
                        StoredDocument byId = segment.get(cursor.id()).orElseThrow();
                        assertEquals(cursor.timestamp(), byId.timestamp());
                    }
                }
                assertEquals(expected.size(), i);
            } finally {
                segment.close();
            }
        }
    }

    @Test
    void todaysWriterProducesTheVersion1BytesUnchanged(@TempDir Path dir) throws IOException {
        assertArrayEquals(
                Files.readAllBytes(GOLDEN.resolve("golden-none.seg")),
                Files.readAllBytes(write(dir, "golden-none", Codec.NONE, null)));
    }

    @Test
    void todaysCompactorProducesTheVersion2BytesUnchanged(@TempDir Path dir) throws IOException {
        assertArrayEquals(
                Files.readAllBytes(GOLDEN_V2.resolve("golden-none.seg")),
                Files.readAllBytes(writeV2(dir, "golden-none", Codec.NONE, null)));
    }
}
