package io.stupiddb.segments.lifecycle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scrubber's pacing as a table: how long to wait so the average rate stays at or below the limit. */
class ScrubberPaceTest {
    @ParameterizedTest(name = "{0} bytes in {1} ns at {2} B/s: wait {3} ns")
    @CsvSource({
        // bytes, elapsed ns, rate, wait ns
        "0,          0,             1048576, 0",
        "1048576,    0,             1048576, 1000000000",
        "1048576,    250000000,     1048576, 750000000",
        "1048576,    1000000000,    1048576, 0",
        "1048576,    5000000000,    1048576, 0",
        "8388608,    500000000,     8388608, 500000000",
        "123456789,  0,             0,       0",
        "123456789,  0,             -1,      0",
    })
    void waitsJustLongEnoughToKeepTheRate(long bytes, long elapsed, long rate, long wait) {
        assertEquals(wait, Scrubber.waitNanos(bytes, elapsed, rate));
    }
}
