package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.testing.TestDocuments;

import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RotationPolicy} on a real active segment: empty never, then by age or by size. */
class RotationPolicyTest {

    @Test
    void rotatesByAgeOrSizeButNeverEmpty(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        ActiveSegment active = ActiveSegment.create(dir, SegmentHeader.create("rot", clock.millis(), Codec.NONE, 0, 0,
                null), DurabilityMode.NEVER, clock);
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
        return new RotationPolicy(maxAge, maxSize).decide(active.info(), clock.millis()).isPresent();
    }
}
