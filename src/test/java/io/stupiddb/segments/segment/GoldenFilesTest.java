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
 * Segment files of format v1, committed under {@code src/test/resources/golden/v1}, must stay
 * readable by every later build ("old versions stay readable"), and today's writer must still
 * produce the uncompressed one byte for byte (a format change has to bump the version).
 * Regenerate only when adding a new version's files:
 * {@code ./mvnw test -Dtest=GoldenFilesTest -Dgolden.regenerate=true}.
 */
class GoldenFilesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/v1");
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
    }

    @Test
    void version1FilesReadBackExactly() throws Exception {
        List<String> expected = Files.readAllLines(GOLDEN.resolve("expected.ndjson"), StandardCharsets.UTF_8);
        for (String name : List.of("golden-none.seg", "golden-zstd.seg")) {
            SealedSegment segment = SealedSegment.open(GOLDEN.resolve(name), SegmentState.SEALED);
            try {
                assertEquals(1, segment.header().version());
                assertEquals(FormatVersion.CURRENT, 1, "bump the golden files when the version changes");
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
}
