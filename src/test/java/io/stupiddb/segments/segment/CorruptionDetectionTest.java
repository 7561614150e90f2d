package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.SegmentHeader;
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
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A flipped bit anywhere in a sealed file is detected: by open (header, footer), by reads
 * (records, index) or at the latest by a full verify; and no read ever returns wrong data.
 */
class CorruptionDetectionTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("corruption");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void aBitFlipAtEveryByteIsDetectedAndNeverReturnsWrongData(Codec codec) throws Exception {
        TestDocuments generator = new TestDocuments(5);
        ActiveSegment active = ActiveSegment.create(
                dir, SegmentHeader.create("flip", 9L, codec, 3, 1, null), DurabilityMode.NEVER, InstantSource.system());
        List<NewDocument> written = new ArrayList<>(generator.batch(3));
        active.append(written);
        SealedSegment sealed = active.seal();
        sealed.close();
        assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
        Path file = SegmentFiles.sealed(dir, "flip");
        byte[] original = Files.readAllBytes(file);
        SplittableRandom random = new SplittableRandom(codec.ordinal());
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
                            assertArrayEquals(
                                    doc.source(),
                                    read.get().source(),
                                    "wrong data returned after a flip at byte " + position);
                            assertEquals(doc.timestamp(), read.get().timestamp());
                        } else {
                            readFailed = true; // a damaged index may hide an id; verify below must catch it
                        }
                    } catch (CorruptSegmentException e) {
                        readFailed = true;
                    }
                }
                try (DocumentCursor cursor = segment.scan(ScanSpec.ALL)) {
                    int i = 0;
                    while (cursor.advance()) {
                        assertArrayEquals(
                                written.get(i++).source(),
                                cursor.document().source(),
                                "wrong data scanned after a flip at byte " + position);
                    }
                } catch (CorruptSegmentException e) {
                    readFailed = true;
                }
                if (readFailed) {
                    detectedOnRead++;
                }
                final int at = position;
                assertThrows(
                        CorruptSegmentException.class,
                        segment::verify,
                        () -> "verify missed a flipped bit at byte " + at);
                detectedByVerify++;
            } finally {
                segment.close();
                assertTrue(segment.awaitUnmapped(Duration.ofSeconds(5)));
            }
        }
        assertEquals(original.length, detectedAtOpen + detectedByVerify, "every flip detected");
        assertTrue(detectedAtOpen > 0 && detectedOnRead > 0, "flips in header/footer and records both exercised");
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void zeroedPagesAndTruncationAreDetectedAtOpenOrVerify(Codec codec) throws Exception {
        TestDocuments generator = new TestDocuments(6);
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create("pages", 9L, codec, 3, 1, null),
                DurabilityMode.NEVER,
                InstantSource.system());
        for (int i = 0; i < 12; i++) {
            active.append(generator.batch(10));
        }
        SealedSegment sealed = active.seal();
        sealed.close();
        assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
        Path file = SegmentFiles.sealed(dir, "pages");
        byte[] original = Files.readAllBytes(file);
        assertTrue(original.length > 3 * 4096, "several pages");
        for (int page = 0; page * 4096 < original.length; page++) {
            byte[] damaged = Arrays.copyOf(original, original.length);
            Arrays.fill(damaged, page * 4096, Math.min(original.length, (page + 1) * 4096), (byte) 0);
            assertDetected(file, damaged, "zeroed page " + page);
        }
        for (int cut : new int[] {0, 10, original.length / 2, original.length - 97, original.length - 1}) {
            assertDetected(file, Arrays.copyOf(original, cut), "truncated to " + cut);
        }
    }

    private static void assertDetected(Path file, byte[] damaged, String what) throws Exception {
        Files.write(file, damaged);
        try {
            SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED);
            try {
                assertThrows(CorruptSegmentException.class, segment::verify, what);
            } finally {
                segment.close();
            }
        } catch (CorruptSegmentException expected) {
            // detected at open
        } catch (Exception e) {
            fail(what + ": unexpected " + e);
        }
    }
}
