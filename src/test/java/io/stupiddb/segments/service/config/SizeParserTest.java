package io.stupiddb.segments.service.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeParserTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "4096, 4096",
        "0, 0",
        "100K, 102400",
        "16M, 16777216",
        "256M, 268435456",
        "100M, 104857600",
        "1G, 1073741824",
        "2T, 2199023255552",
        "1k, 1024",
        "1m, 1048576",
        "' 1M ', 1048576",
        "8388607T, 9223370937343148032",
    })
    void parsesBinaryMultiples(String text, long bytes) {
        assertEquals(bytes, SizeParser.parse(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"16X", "", " ", "M", "1.5M", "-1", "1 M", "16MB", "16MiB", "1KK", "0x10", "+5"})
    void rejectsWithTheSpellingsInTheMessage(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse(text));
        assertEquals("cannot parse '" + text + "' as a size (use 4096, 100K, 16M, 1G)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8388608T", "9223372036854775808", "99999999999999999999K"})
    void overflowIsAnErrorNotAWrap(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse(text));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void nullIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse(null));
    }
}
