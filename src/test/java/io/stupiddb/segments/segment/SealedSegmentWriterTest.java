package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.FieldValues;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A v1 segment compacted to format v2 holds the same documents: every get, every scan (with and
 * without the column planner, with time ranges and cursors) answers as the v1 file did, and a full
 * verify passes.
 */
class SealedSegmentWriterTest {
    private static final List<String> FILTERS = List.of(
            "{\"level\":\"error\",\"http.status\":{\"$gte\":500}}",
            "{\"level\":{\"$in\":[\"warn\",\"error\"]}}",
            "{\"http.method\":\"POST\",\"service\":{\"$ne\":\"search\"}}",
            "{\"$or\":[{\"http.status\":503},{\"user_id\":\"u-17\"}]}",
            "{\"trace_id\":\"no-such-trace\"}",
            "{\"latency_ms\":{\"$lt\":100}}",
            "{\"kubernetes.labels\":{\"$exists\":true},\"host\":{\"$prefix\":\"node-1\"}}",
            "{\"$not\":{\"level\":\"info\"}}",
            "{}");

    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("v2-writer");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void compactedSegmentAnswersEveryReadAsTheOriginal(Codec codec) throws IOException {
        List<NewDocument> written = documents(3_000);
        Path file = V2Files.write(dir, "v2", written, codec, ColumnSettings.DEFAULT.withGranuleRows(512));
        try (SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED)) {
            assertEquals(FormatVersion.V2, segment.formatVersion());
            assertEquals(codec, segment.header().codec());
            ColumnIndex columns = segment.columns().orElseThrow();
            assertEquals(6, columns.granules());
            assertTrue(columns.schema().paths().size() >= 10, "hot fields found: " + columns.schema());
            segment.verify();
            for (NewDocument doc : written) {
                Optional<StoredDocument> read = segment.get(doc.id());
                assertArrayEquals(doc.source(), read.orElseThrow().source());
                assertEquals(doc.timestamp(), read.get().timestamp());
            }
            assertTrue(segment.get(new UUID(1, 1)).isEmpty());
            assertEquals(ids(written), scanIds(segment, ScanSpec.ALL));
        }
    }

    /**
     * The writer feeds each granule's columns a row at a time as it writes the records; the groups it
     * stores must be exactly what encoding the granule's documents at once gives, for full granules
     * and the short last one.
     */
    @Test
    void everyGranuleHoldsTheColumnGroupOfItsDocuments() throws IOException {
        List<NewDocument> written = documents(1_100);
        int granuleRows = 256;
        Path file = V2Files.write(dir, "v2", written, Codec.ZSTD, ColumnSettings.DEFAULT.withGranuleRows(granuleRows));
        try (SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED)) {
            ColumnIndex columns = segment.columns().orElseThrow();
            List<ColumnPath> paths = columns.schema().paths();
            assertEquals(5, columns.granules(), "four full granules and one of 76 rows");
            List<byte[]> inIdOrder = new ArrayList<>();
            try (DocumentCursor cursor = segment.scan(ScanSpec.ALL)) {
                while (cursor.advance()) {
                    byte[] source = new byte[cursor.source().remaining()];
                    cursor.source().duplicate().get(source);
                    inIdOrder.add(source);
                }
            }
            for (int g = 0; g < columns.granules(); g++) {
                List<FieldValues> rows = new ArrayList<>();
                for (int r = g * granuleRows; r < Math.min(inIdOrder.size(), (g + 1) * granuleRows); r++) {
                    rows.add(FieldValues.of(inIdOrder.get(r)));
                }
                assertArrayEquals(
                        ColumnGroup.encode(paths, rows, SealedSegmentWriter.COLUMN_OPTIONS),
                        columns.groupBytes(g).toArray(ValueLayout.JAVA_BYTE),
                        "granule " + g);
            }
        }
    }

    @Test
    void plannedScansAnswerExactlyAsBruteForce() throws IOException {
        List<NewDocument> written = documents(5_000);
        Path file = V2Files.write(dir, "planned", written, Codec.ZSTD, ColumnSettings.DEFAULT.withGranuleRows(700));
        long from = written.get(1_000).timestamp();
        long to = written.get(3_333).timestamp();
        UUID after = written.get(2_000).id();
        try (SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED)) {
            for (String json : FILTERS) {
                Filter filter = Filter.parse(json);
                Optional<BlockPlanner> planner = Optional.of(BlockPlanner.compile(json));
                for (ScanSpec spec : List.of(
                        new ScanSpec(Long.MIN_VALUE, Long.MAX_VALUE, null, filter::matches, planner),
                        new ScanSpec(from, to, null, filter::matches, planner),
                        new ScanSpec(from, to, after, filter::matches, planner))) {
                    List<UUID> expected = new ArrayList<>();
                    for (NewDocument doc : written) {
                        if (spec.inRange(doc.timestamp())
                                && (after == null
                                        || spec.afterId() == null
                                        || doc.id().compareTo(after) > 0)
                                && filter.matches(doc.source())) {
                            expected.add(doc.id());
                        }
                    }
                    ScanSpec unplanned =
                            new ScanSpec(spec.fromInclusive(), spec.toExclusive(), spec.afterId(), spec.filter());
                    assertEquals(expected, scanIds(segment, spec), json);
                    assertEquals(expected, scanIds(segment, unplanned), json);
                    assertEquals(expected, scanIds(segment, spec, PARALLEL), "parallel " + json);
                    assertEquals(expected, scanIds(segment, unplanned, PARALLEL), "parallel " + json);
                    assertEquals(expected.subList(0, Math.min(3, expected.size())), firstIds(segment, spec, 3));
                }
            }
        }
    }

    @Test
    void forcedAndExcludedPathsDecideTheColumns() throws IOException {
        List<NewDocument> written = documents(300);
        ColumnSettings settings = ColumnSettings.DEFAULT.withPaths(List.of("no.such.path"), List.of("level", "http"));
        Path file = V2Files.write(dir, "forced", written, Codec.NONE, settings);
        try (SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED)) {
            List<String> paths = segment.columns().orElseThrow().schema().fields().stream()
                    .map(f -> f.path())
                    .toList();
            assertTrue(paths.contains("no.such.path"), paths.toString());
            assertFalse(paths.contains("level"), paths.toString());
            assertFalse(paths.stream().anyMatch(p -> p.startsWith("http")), paths.toString());
            segment.verify();
        }
    }

    @Test
    void onlyTheDocumentsToKeepAreWrittenAndNoneKeptWritesNoFile() throws IOException {
        List<NewDocument> written = documents(1_000);
        Path v1Dir = Files.createDirectories(dir.resolve("keep-v1"));
        ActiveSegment active = ActiveSegment.create(
                v1Dir,
                io.stupiddb.segments.format.SegmentHeader.create("keep", 9L, Codec.NONE, 0, 1, null),
                DurabilityMode.NEVER,
                java.time.InstantSource.system());
        active.append(written);
        java.util.Set<UUID> dropped = new java.util.HashSet<>();
        for (int i = 0; i < written.size(); i += 3) {
            dropped.add(written.get(i).id());
        }
        try (SealedSegment v1 = active.seal()) {
            io.stupiddb.segments.format.SegmentHeader header =
                    io.stupiddb.segments.format.SegmentHeader.create("keep", 9L, Codec.ZSTD, 3, 1, null);
            Path target = dir.resolve("keep.seg");
            SealedSegmentWriter.Written result = SealedSegmentWriter.write(
                    v1,
                    header,
                    ColumnSettings.DEFAULT.withGranuleRows(100),
                    s -> null,
                    target,
                    id -> !dropped.contains(id));
            assertEquals(1_000, result.read());
            assertEquals(1_000 - dropped.size(), result.documents());
            try (SealedSegment kept = SealedSegment.open(target, SegmentState.SEALED)) {
                kept.verify();
                assertEquals(result.documents(), kept.footer().documents());
                for (NewDocument doc : written) {
                    assertEquals(!dropped.contains(doc.id()), kept.get(doc.id()).isPresent());
                }
            }
            Path none = dir.resolve("none.seg");
            SealedSegmentWriter.Written empty =
                    SealedSegmentWriter.write(v1, header, ColumnSettings.DEFAULT, s -> null, none, id -> false);
            assertEquals(0, empty.documents());
            assertFalse(Files.exists(none));
        }
    }

    static List<NewDocument> documents(int count) {
        TestDocuments generator = new TestDocuments(count);
        List<NewDocument> all = new ArrayList<>();
        while (all.size() < count) {
            all.addAll(generator.batch(Math.min(100, count - all.size())));
        }
        return all;
    }

    private static List<UUID> ids(List<NewDocument> documents) {
        return documents.stream().map(NewDocument::id).toList();
    }

    /** Three workers: more chunks in flight than this machine has cores, to shake out ordering. */
    private static final ScanWorkers PARALLEL = new ScanWorkers(
            java.util.concurrent.Executors.newFixedThreadPool(3, r -> {
                Thread t = new Thread(r, "test-scan");
                t.setDaemon(true);
                return t;
            }),
            3);

    /** A reader that stops early: the parallel cursor's in-flight chunks must finish before the unmap. */
    private static List<UUID> firstIds(SealedSegment segment, ScanSpec spec, int n) {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = segment.scan(spec, PARALLEL)) {
            while (ids.size() < n && cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    static List<UUID> scanIds(SealedSegment segment, ScanSpec spec) {
        return scanIds(segment, spec, ScanWorkers.NONE);
    }

    static List<UUID> scanIds(SealedSegment segment, ScanSpec spec, ScanWorkers workers) {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = segment.scan(spec, workers)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }
}
