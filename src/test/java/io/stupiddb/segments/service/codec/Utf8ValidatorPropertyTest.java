package io.stupiddb.segments.service.codec;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Utf8Validator}, which passes over ASCII a word at a time, against the same rules taken one
 * byte at a time (the reference below): the same first invalid byte, the same count of bytes
 * checked and the same completeness, for bodies of long ASCII runs with characters of every length,
 * invalid bytes anywhere (at, across and inside word boundaries), fed in arbitrary pieces from an
 * arbitrary offset of a larger array.
 */
class Utf8ValidatorPropertyTest {

    @Property(tries = 500)
    void theWordAtATimeCheckAgreesWithTheByteAtATimeRules(
            @ForAll("bodies") byte[] body,
            @ForAll @IntRange(min = 0, max = 13) int padding,
            @ForAll("cuts") List<Integer> cuts) {
        byte[] padded = new byte[padding + body.length + padding];
        Arrays.fill(padded, (byte) 0xff); // invalid around the range: must never be read
        System.arraycopy(body, 0, padded, padding, body.length);
        Utf8Validator fast = new Utf8Validator();
        Reference slow = new Reference();
        int from = 0;
        for (int cut : cuts.stream().map(c -> Math.min(c, body.length)).sorted().toList()) {
            if (cut < from) {
                continue;
            }
            int fastBad = fast.check(padded, padding + from, cut - from);
            int slowBad = slow.check(padded, padding + from, cut - from);
            assertEquals(slowBad, fastBad, "first invalid byte of piece [" + from + ", " + cut + ")");
            assertEquals(slow.position, fast.position(), "bytes checked");
            if (fastBad >= 0) {
                return;
            }
            from = cut;
        }
        assertEquals(
                slow.check(padded, padding + from, body.length - from),
                fast.check(padded, padding + from, body.length - from));
        assertEquals(slow.position, fast.position());
        assertEquals(slow.remaining == 0, fast.complete());
        byte[] exact = Arrays.copyOfRange(padded, padding, padding + body.length);
        long whole = Utf8Validator.firstInvalid(padded, padding, body.length);
        assertEquals(whole, Utf8Validator.firstInvalid(exact));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> ascii =
                Arbitraries.strings().ascii().ofMaxLength(40).map(s -> s.getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> character = Arbitraries.strings()
                .withCharRange('\u0080', '\uffff')
                .withChars("😀\uDBFF\uDFFF")
                .ofMinLength(1)
                .ofMaxLength(3)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> invalid = Arbitraries.of(
                        "c0af",
                        "c1bf",
                        "e080af",
                        "f08080af",
                        "eda080",
                        "f4908080",
                        "f5",
                        "ff",
                        "80",
                        "c3",
                        "e282",
                        "f09f98")
                .map(HexFormat.of()::parseHex);
        Arbitrary<byte[]> piece =
                Arbitraries.frequencyOf(Tuple.of(12, ascii), Tuple.of(4, character), Tuple.of(1, invalid));
        return piece.list().ofMaxSize(12).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 400).list().ofMaxSize(4);
    }

    /** The rules of strict UTF-8 a byte at a time, as Utf8Validator applied them before it read words. */
    private static final class Reference {
        int remaining;
        int lo = 0x80;
        int hi = 0xbf;
        long position;

        int check(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xff;
                if (remaining > 0) {
                    if (c < lo || c > hi) {
                        return i;
                    }
                    lo = 0x80;
                    hi = 0xbf;
                    remaining--;
                } else if (c >= 0x80) {
                    if (c >= 0xc2 && c <= 0xdf) {
                        remaining = 1;
                    } else if (c == 0xe0) {
                        remaining = 2;
                        lo = 0xa0;
                    } else if (c == 0xed) {
                        remaining = 2;
                        hi = 0x9f;
                    } else if (c >= 0xe1 && c <= 0xef) {
                        remaining = 2;
                    } else if (c == 0xf0) {
                        remaining = 3;
                        lo = 0x90;
                    } else if (c >= 0xf1 && c <= 0xf3) {
                        remaining = 3;
                    } else if (c == 0xf4) {
                        remaining = 3;
                        hi = 0x8f;
                    } else {
                        return i;
                    }
                }
                position++;
            }
            return -1;
        }
    }
}
