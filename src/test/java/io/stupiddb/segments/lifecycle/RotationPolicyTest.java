package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link RotationPolicy}: a table over plain segment stats (limits: 1 h, 1,000 bytes; created at
 * 0), and once on a real active segment: empty never, then by age or by size.
 */
class RotationPolicyTest {
    private static final RotationPolicy POLICY = new RotationPolicy(Duration.ofHours(1), 1000);
    private static final long HOUR = Duration.ofHours(1).toMillis();

    static Stream<Arguments> decide() {
        return Stream.of(
                arguments("young and small: keep writing", 10, 999, HOUR - 1, null),
                arguments("size reaches the limit exactly", 10, 1000, 0, RotationReason.SIZE),
                arguments("size beyond the limit", 10, 5000, 0, RotationReason.SIZE),
                arguments("age reaches the limit exactly", 10, 1, HOUR, RotationReason.AGE),
                arguments("one millisecond short of the age limit", 10, 1, HOUR - 1, null),
                arguments("both limits: size is reported", 10, 1000, 2 * HOUR, RotationReason.SIZE),
                arguments("empty and old: nothing to seal", 0, 0, 10 * HOUR, null),
                arguments("empty and big (header only): nothing to seal", 0, 5000, 0, null),
                arguments("clock behind the creation time: no rotation by age", 1, 1, -HOUR, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void decide(String name, long documents, long sizeBytes, long nowMillis, RotationReason expected) {
        SegmentInfo active = new SegmentInfo(
                "a",
                SegmentState.ACTIVE,
                0,
                null,
                null,
                documents == 0 ? null : 0L,
                documents == 0 ? null : 0L,
                null,
                null,
                documents,
                sizeBytes,
                Codec.NONE,
                0,
                1);
        assertEquals(Optional.ofNullable(expected), POLICY.decide(active, nowMillis));
    }

    @Test
    void noActiveSegmentNeverRotates() {
        assertEquals(Optional.empty(), POLICY.decide(null, Long.MAX_VALUE));
    }

    @Test
    void rotatesByAgeOrSizeButNeverEmpty(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        ActiveSegment active = ActiveSegment.create(
                dir, SegmentHeader.create("rot", clock.millis(), Codec.NONE, 0, 0, null), DurabilityMode.NEVER, clock);
        clock.advance(Duration.ofHours(2));
        assertFalse(shouldRotate(active, clock, Duration.ofHours(1), 1L << 30), "empty: nothing to seal");
        clock.advance(Duration.ofHours(-2));
        active.append(new TestDocuments(1).batch(5));
        assertFalse(shouldRotate(active, clock, Duration.ofHours(1), 1L << 30));
        assertTrue(shouldRotate(active, clock, Duration.ofHours(1), 100), "size limit reached");
        clock.advance(Duration.ofMinutes(60));
        assertTrue(shouldRotate(active, clock, Duration.ofHours(1), 1L << 30), "age limit reached");
        active.close();
    }

    private static boolean shouldRotate(ActiveSegment active, MutableClock clock, Duration maxAge, long maxSize) {
        return new RotationPolicy(maxAge, maxSize)
                .decide(active.info(), clock.millis())
                .isPresent();
    }
}
