package io.stupiddb.segments.cold;

import java.time.Duration;
import java.util.Optional;

/**
 * When the next upload may be tried after failures: exponential from {@code first}, doubled per
 * consecutive failure, capped at {@code max}, reset by a success. Counts every failure (the
 * {@code segment_store_archive_failures_total} metric) and keeps the last one's message for
 * readiness.
 *
 * <p>Thread-safety: thread-safe (synchronized; uploads are rare).
 */
final class UploadBackoff {
    private final Duration first;
    private final Duration max;
    private int consecutive;
    private long failures;
    private long notBefore = Long.MIN_VALUE;
    private String problem;

    UploadBackoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
    }

    synchronized boolean mayTry(long now) {
        return now >= notBefore;
    }

    /** Records a failure at {@code now}; returns how long uploads now wait. */
    synchronized Duration failed(long now, String message) {
        failures++;
        consecutive++;
        long wait = first.toMillis() << Math.min(consecutive - 1, 30);
        Duration delay = Duration.ofMillis(Math.min(wait, max.toMillis()));
        notBefore = now + delay.toMillis();
        problem = message;
        return delay;
    }

    synchronized void succeeded() {
        consecutive = 0;
        notBefore = Long.MIN_VALUE;
        problem = null;
    }

    synchronized long failures() {
        return failures;
    }

    synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
