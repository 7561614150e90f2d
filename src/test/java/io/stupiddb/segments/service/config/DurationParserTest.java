package io.stupiddb.segments.service.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationParserTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "10s, 10000",
        "1m, 60000",
        "1h, 3600000",
        "30d, 2592000000",
        "0s, 0",
        "0ms, 0",
        "1H, 3600000",
        "250MS, 250",
        "'  10s ', 10000",
        "PT1H, 3600000",
        "P30D, 2592000000",
        "PT0.5S, 500",
    })
    void parsesTheSpecSpellings(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), DurationParser.parse(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(
            strings = {
                "30x", "", " ", "10", "-1s", "1.5s", "1 h", "h", "1w", "1hour", "1h30m", "s10", "PT-1H", "P", "1e3ms"
            })
    void rejectsWithTheSpellingsInTheMessage(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
        assertEquals("cannot parse '" + text + "' as a duration (use 500ms, 10s, 1m, 1h, 30d)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d"})
    void overflowIsAnErrorNotAWrap(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void nullIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(null));
    }
}
