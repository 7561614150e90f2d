package io.stupiddb.segments.service.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestampsTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
        "0, 1970-01-01T00:00:00.000Z",
        "1795600800123, 2026-11-25T10:00:00.123Z",
        "1795600800000, 2026-11-25T10:00:00.000Z",
        "-1, 1969-12-31T23:59:59.999Z",
        "253402300799999, 9999-12-31T23:59:59.999Z",
    })
    void formatsWithMillisecondsAndParsesBack(long millis, String text) {
        assertEquals(text, Timestamps.format(millis));
        assertEquals(millis, Timestamps.parseRfc3339(text));
    }
}
