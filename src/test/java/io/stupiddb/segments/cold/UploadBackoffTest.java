package io.stupiddb.segments.cold;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadBackoffTest {

    @Test
    void waitsDoubleFromTheFirstUpToTheCapAndASuccessResetsThem() {
        UploadBackoff backoff = new UploadBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertTrue(backoff.mayTry(0));
        long[] expected = {1_000, 2_000, 4_000, 5_000, 5_000};
        long now = 0;
        for (long wait : expected) {
            assertEquals(Duration.ofMillis(wait), backoff.failed(now, "down"));
            assertFalse(backoff.mayTry(now + wait - 1));
            assertTrue(backoff.mayTry(now + wait));
            now += wait;
        }
        assertEquals(5, backoff.failures());
        assertEquals(Optional.of("down"), backoff.problem());
        backoff.succeeded();
        assertTrue(backoff.mayTry(now));
        assertEquals(Optional.empty(), backoff.problem());
        assertEquals(Duration.ofSeconds(1), backoff.failed(now, "again"), "a success starts the doubling over");
        assertEquals(6, backoff.failures(), "failures keep counting across successes (a counter)");
    }

    @Test
    void manyFailuresNeverOverflowTheWait() {
        UploadBackoff backoff = new UploadBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            last = backoff.failed(0, "down");
        }
        assertEquals(Duration.ofMinutes(5), last);
    }
}
