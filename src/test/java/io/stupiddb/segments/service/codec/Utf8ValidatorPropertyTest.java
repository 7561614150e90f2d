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
 * {@link Utf8Validator}, which passes over ASCII a word at a time, against itself fed one byte per
 * call (the reference below): the same first invalid byte, the same count of bytes
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
            assertEquals(slow.position(), fast.position(), "bytes checked");
            if (fastBad >= 0) {
                return;
            }
            from = cut;
        }
        assertEquals(
                slow.check(padded, padding + from, body.length - from),
                fast.check(padded, padding + from, body.length - from));
        assertEquals(slow.position(), fast.position());
        assertEquals(slow.complete(), fast.complete());
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

    /**
     * The same validator fed one byte per call: a piece shorter than a word never takes the word
     * path, so this is the byte-at-a-time rules (which Utf8ValidatorTest checks by example).
     */
    private static final class Reference {
        private final Utf8Validator bytes = new Utf8Validator();

        int check(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (bytes.check(b, i, 1) >= 0) {
                    return i;
                }
            }
            return -1;
        }

        long position() {
            return bytes.position();
        }

        boolean complete() {
            return bytes.complete();
        }
    }
}
