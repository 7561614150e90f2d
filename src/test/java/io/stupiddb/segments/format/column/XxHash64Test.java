package io.stupiddb.segments.format.column;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reference values from the xxHash project's own CLI ({@code printf %s TEXT | xxhsum -H64}, xxhash 0.8.1). */
class XxHash64Test {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|ef46db3751d8e999",
                "a|d24ec4f1a98c6e5b",
                "abc|44bc2cf5ad770999",
                // 42 bytes: one 32-byte stripe, then the 8-byte and 1-byte tails
                "0123456789abcdef0123456789abcdef0123456789|a76190c3acf08a1c",
                // 66 bytes: two stripes, an 8-byte tail word, a 4-byte tail and bytes
                "stupid-db segment store: trace_id 4bf92f3577b34da6a3ce929d0e0e4736|1e566b442a619ecf",
            })
    void matchesTheReferenceImplementation(String text, String hex) {
        assertEquals(Long.parseUnsignedLong(hex, 16), XxHash64.hash(text.getBytes(StandardCharsets.UTF_8)));
    }
}
