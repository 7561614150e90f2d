package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.segment.SegmentInfo;

import java.time.Duration;
import java.util.Optional;

/**
 * When to seal the active segment: a pure function of its stats, the limits and the time, so
 * it is tested with plain values and the scheduler only calls it. An empty segment never
 * rotates (nothing to seal). O(1).
 */
public record RotationPolicy(Duration maxAge, long maxSize) {

    public Optional<RotationReason> decide(SegmentInfo active, long nowMillis) {
        if (active == null || active.documents() == 0) {
            return Optional.empty();
        }
        if (active.sizeBytes() >= maxSize) {
            return Optional.of(RotationReason.SIZE);
        }
        if (nowMillis - active.createdAt() >= maxAge.toMillis()) {
            return Optional.of(RotationReason.AGE);
        }
        return Optional.empty();
    }
}
