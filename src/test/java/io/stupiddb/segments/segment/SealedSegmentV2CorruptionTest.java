package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flipped bit anywhere in a format v2 file — header, records, id index, schema, column group
 * directories, column blocks (kinds, integers, dictionaries, blooms), granule table, column locator,
 * footer — is detected by open, by a read or at the latest by a full verify; and no get, scan or
 * planned scan ever returns wrong data.
 */
class SealedSegmentV2CorruptionTest {
    /** Filters that make the planner open the dictionary, integer and bloom columns. */
    private static final List<String> FILTERS = List.of(
            "{\"level\":\"error\",\"http.status\":{\"$gte\":500}}",
            "{\"service\":{\"$in\":[\"search\",\"auth\"]}}",
            "{\"trace_id\":\"0\"}",
            "{\"latency_ms\":{\"$gt\":1000}}");

    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("v2-corruption");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aBitFlipAtEveryByteIsDetectedAndNeverReturnsWrongData(Codec codec) throws Exception {
        List<NewDocument> written = new ArrayList<>(new TestDocuments(11).batch(5));
        Path file = V2Files.write(dir, "flip2", written, codec, ColumnSettings.DEFAULT.withGranuleRows(2));
        byte[] original = Files.readAllBytes(file);
        List<List<UUID>> expectedPlanned = new ArrayList<>();
        for (String json : FILTERS) {
            Filter filter = Filter.parse(json);
            expectedPlanned.add(written.stream()
                    .filter(d -> filter.matches(d.source()))
                    .map(NewDocument::id)
                    .toList());
        }
        SplittableRandom random = new SplittableRandom(codec.ordinal() + 20);
        int detectedAtOpen = 0;
        int detectedOnRead = 0;
        int detectedByVerify = 0;
        for (int position = 0; position < original.length; position++) {
            byte[] damaged = Arrays.copyOf(original, original.length);
            damaged[position] ^= (byte) (1 << random.nextInt(8));
            Files.write(file, damaged);
            SealedSegment segment;
            try {
                segment = SealedSegment.open(file, SegmentState.SEALED);
            } catch (CorruptSegmentException e) {
                detectedAtOpen++;
                continue;
            }
            try {
                boolean readFailed = false;
                for (NewDocument doc : written) {
                    try {
                        Optional<StoredDocument> read = segment.get(doc.id());
                        if (read.isPresent()) {
                            assertArrayEquals(doc.source(), read.get().source(), "get after a flip at " + position);
                        } else {
                            readFailed = true;
                        }
                    } catch (CorruptSegmentException e) {
                        readFailed = true;
                    }
                }
                for (int f = 0; f < FILTERS.size(); f++) {
                    Filter filter = Filter.parse(FILTERS.get(f));
                    List<UUID> planned = new ArrayList<>();
                    try (DocumentCursor cursor = segment.scan(new ScanSpec(
                            Long.MIN_VALUE,
                            Long.MAX_VALUE,
                            null,
                            filter::matches,
                            Optional.of(BlockPlanner.compile(FILTERS.get(f)))))) {
                        while (cursor.advance()) {
                            planned.add(cursor.id());
                            NewDocument doc = written.stream()
                                    .filter(d -> d.id().equals(cursor.id()))
                                    .findFirst()
                                    .orElseThrow(() -> new AssertionError("unknown id after a flip"));
                            assertArrayEquals(doc.source(), cursor.document().source());
                        }
                        assertEquals(expectedPlanned.get(f), planned, "planned scan after a flip at " + position);
                    } catch (CorruptSegmentException e) {
                        readFailed = true;
                    }
                }
                if (readFailed) {
                    detectedOnRead++;
                }
                final int at = position;
                assertThrows(CorruptSegmentException.class, segment::verify, () -> "verify missed a flip at " + at);
                detectedByVerify++;
            } finally {
                segment.close();
                assertTrue(segment.awaitUnmapped(Duration.ofSeconds(5)));
            }
        }
        assertEquals(original.length, detectedAtOpen + detectedByVerify, "every flip detected");
        assertTrue(detectedAtOpen > 0 && detectedOnRead > 0, "flips at open and on read both exercised");
    }
}
