package io.stupiddb.segments.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.ReferenceFilter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.query.plan.PlanGenerators;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scans with the column planner against the reference evaluator: random documents (missing
 * fields, mixed types on one path, nested objects, arrays, unicode) written to an active segment,
 * sealed as v1, compacted to v2 with random granule sizes and codecs, and random filters. The
 * documents every scan returns — active, v1, v2 planned, v2 unplanned, with a time range — are
 * exactly those {@link ReferenceFilter} accepts, in id order.
 */
class PlannedScanPropertyTest {
    private static final java.util.concurrent.ExecutorService POOL =
            java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "test-scan");
                t.setDaemon(true);
                return t;
            });

    @Property(tries = 300)
    void plannedScansOfEveryFormAgreeWithTheReferenceEvaluator(
            @ForAll("documents") List<JsonNode> documents,
            @ForAll("filters") JsonNode filterJson,
            @ForAll @IntRange(min = 1, max = 9) int granuleRows,
            @ForAll boolean zstd,
            @ForAll @IntRange(min = 1, max = 4) int parallelism)
            throws IOException {
        ScanWorkers workers = new ScanWorkers(POOL, parallelism);
        Path dir = Files.createTempDirectory("planned");
        try {
            List<NewDocument> written = new ArrayList<>();
            List<UUID> expected = new ArrayList<>();
            List<UUID> expectedInRange = new ArrayList<>();
            long from = 1_000 + documents.size() / 3;
            long to = 1_000 + 2 * documents.size() / 3 + 1;
            for (int i = 0; i < documents.size(); i++) {
                UUID id = new UUID(0x0190_0000_0000_7000L | ((long) i << 16), 0x8000_0000_0000_0000L | i);
                byte[] stored = PlanGenerators.msgpack(documents.get(i));
                written.add(new NewDocument(id, 1_000 + i, stored));
                // The reference reads the document as stored (the generator's strings may hold lone
                // surrogates, which MessagePack's UTF-8 replaces).
                if (ReferenceFilter.matches(filterJson, TestDocuments.MSGPACK.readTree(stored))) {
                    expected.add(id);
                    if (1_000 + i >= from && 1_000 + i < to) {
                        expectedInRange.add(id);
                    }
                }
            }
            Filter filter = Filter.parse(filterJson);
            Optional<BlockPlanner> planner = Optional.of(BlockPlanner.compile(filterJson));
            ScanSpec planned = new ScanSpec(Long.MIN_VALUE, Long.MAX_VALUE, null, filter::matches, planner);
            ScanSpec plannedRange = new ScanSpec(from, to, null, filter::matches, planner);
            String context = "filter " + filterJson + "\ndocuments " + documents;

            ActiveSegment active = ActiveSegment.create(
                    dir,
                    SegmentHeader.create("prop", 1L, Codec.NONE, 0, 1, null),
                    DurabilityMode.NEVER,
                    InstantSource.system());
            active.append(written);
            assertEquals(expected, ids(active.scan(planned)), "active\n" + context);
            SealedSegment v1 = active.seal();
            Path v2File = dir.resolve("v2").resolve("prop.seg");
            Files.createDirectories(v2File.getParent());
            try (v1) {
                assertEquals(expected, ids(v1.scan(planned)), "v1\n" + context);
                SealedSegmentWriter.write(
                        v1,
                        SegmentHeader.create("prop", 1L, zstd ? Codec.ZSTD : Codec.NONE, zstd ? 3 : 0, 1, null),
                        ColumnSettings.DEFAULT.withGranuleRows(granuleRows),
                        samples -> null,
                        v2File);
            }
            try (SealedSegment v2 = SealedSegment.open(v2File, SegmentState.SEALED)) {
                assertEquals(
                        expected, ids(v2.scan(planned)), "v2 planned, granules of " + granuleRows + "\n" + context);
                assertEquals(expected, ids(v2.scan(ScanSpec.filtered(filter::matches))), "v2 unplanned\n" + context);
                assertEquals(expectedInRange, ids(v2.scan(plannedRange)), "v2 planned in a range\n" + context);
                assertEquals(expected, ids(v2.scan(planned, workers)), "v2 planned, parallel\n" + context);
                assertEquals(
                        expectedInRange, ids(v2.scan(plannedRange, workers)), "v2 parallel in a range\n" + context);
                Statistics.label("columns")
                        .collect(v2.columns().orElseThrow().schema().fields().isEmpty() ? "none" : "some");
            }
            Statistics.label("matches")
                    .collect(expected.isEmpty() ? "none" : expected.size() == documents.size() ? "all" : "some");
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    private static List<UUID> ids(DocumentCursor cursor) {
        List<UUID> ids = new ArrayList<>();
        try (cursor) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    @Provide
    Arbitrary<List<JsonNode>> documents() {
        return PlanGenerators.blocks();
    }

    @Provide
    Arbitrary<JsonNode> filters() {
        return PlanGenerators.filters();
    }
}
