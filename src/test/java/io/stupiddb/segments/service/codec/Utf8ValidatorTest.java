package io.stupiddb.segments.service.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "plain ascii",
                "héllo",
                "日本語",
                "😀",
                "\u0000\u007f\u0080\u07ff\u0800\uffff",
                "\uD7FF\uE000",
                "\uDBFF\uDFFF"
            })
    void acceptsValidUtf8EvenSplitAnywhere(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= b.length; split++) {
            Utf8Validator v = new Utf8Validator();
            assertEquals(-1, v.check(b, 0, split));
            assertEquals(-1, v.check(b, split, b.length - split));
            assertTrue(v.complete());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "c0af, 0", // overlong '/'
        "c1bf, 0", // overlong
        "e080af, 1", // overlong 3-byte
        "f08080af, 1", // overlong 4-byte
        "eda080, 1", // encoded surrogate U+D800
        "f4908080, 1", // above U+10FFFF
        "f5808080, 0", // no such lead byte
        "ff, 0",
        "80, 0", // stray continuation
        "41c341, 2", // missing continuation
    })
    void refusesInvalidSequences(String hex, int badIndex) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertEquals(badIndex, new Utf8Validator().check(b, 0, b.length));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "41, -1",
        "4141c0af, 2", // offset within the range, not the array
        "4141e282, 4", // cut short: the range's length
    })
    void firstInvalidOfARangeCountsFromItsStart(String hex, long expected) {
        byte[] range = HexFormat.of().parseHex(hex);
        byte[] padded = new byte[range.length + 6];
        padded[0] = (byte) 0xff; // invalid bytes around the range must not count
        padded[padded.length - 1] = (byte) 0xff;
        System.arraycopy(range, 0, padded, 3, range.length);
        assertEquals(expected, Utf8Validator.firstInvalid(padded, 3, range.length));
        assertEquals(expected, Utf8Validator.firstInvalid(range));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c3", "e282", "f09f98"})
    void aTruncatedSequenceIsIncomplete(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        Utf8Validator v = new Utf8Validator();
        assertEquals(-1, v.check(b, 0, b.length));
        assertTrue(!v.complete());
    }
}
