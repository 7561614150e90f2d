package io.stupiddb.segments.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfigValuesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "PT1H, 1h",
        "P30D, 30d",
        "PT90M, 90m",
        "PT10S, 10s",
        "PT0.5S, 500ms",
        "PT1.5S, 1500ms",
        "PT0S, 0s",
        "PT25H, 25h",
        "PT0.000001S, PT0.000001S",
    })
    void durationsInTheLargestExactUnit(String iso, String shown) {
        assertEquals(shown, ConfigValues.duration(Duration.parse(iso)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "104857600, 100M",
        "1048576, 1M",
        "1073741824, 1G",
        "268435456, 256M",
        "4096, 4K",
        "4097, 4097",
        "64, 64",
        "0, 0",
        "1099511627776, 1T",
        "3072, 3K",
        "1536, 1536",
        "1025, 1025",
    })
    void sizesInTheLargestExactBinaryUnit(long bytes, String shown) {
        assertEquals(shown, ConfigValues.size(bytes));
    }
}
