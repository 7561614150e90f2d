package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.query.TimeBounds;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.format.DateTimeParseException;
import java.util.Optional;

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

    /**
     * The fast path for the common UTC form against the full RFC 3339 parser it stands in for, on
     * random texts near the grammar: impossible dates (February 29 of 1900, day 31 of April, hour
     * 24, second 60), 0-10 fraction digits, either case of T and Z, offsets, a blank, a stray sign.
     */
    @Property(tries = 3000)
    void agreesWithTheFullParser(@ForAll("nearlyRfc3339") String text) {
        assertEquals(outcome(() -> TimeBounds.parseRfc3339(text)), outcome(() -> Timestamps.parseRfc3339(text)), text);
    }

    private static Optional<Long> outcome(java.util.function.LongSupplier parse) {
        try {
            return Optional.of(parse.getAsLong());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Provide
    Arbitrary<String> nearlyRfc3339() {
        Arbitrary<String> date = Combinators.combine(
                        Arbitraries.of(0, 1, 1900, 1969, 1970, 2000, 2024, 2026, 9999),
                        Arbitraries.integers().between(0, 13),
                        Arbitraries.integers().between(0, 32))
                .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d));
        Arbitrary<String> time = Combinators.combine(
                        Arbitraries.integers().between(0, 24),
                        Arbitraries.of(0, 7, 59, 60),
                        Arbitraries.of(0, 1, 59, 60))
                .as((h, mi, sec) -> String.format("%02d:%02d:%02d", h, mi, sec));
        Arbitrary<String> fraction =
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(10).map(f -> f.isEmpty() ? "" : "." + f);
        Arbitrary<String> offset = Arbitraries.of("Z", "z", "+01:00", "-00:30", "", "ZZ");
        Arbitrary<String> separator = Arbitraries.of("T", "t", " ", "x");
        return Combinators.combine(date, separator, time, fraction, offset, Arbitraries.of("", " ", "+"))
                .as((d, sep, t, f, o, extra) ->
                        extra.equals("+") ? "+" + d + sep + t + f + o : d + sep + t + f + o + extra);
    }

    /** The hand-written format against java.time's, over the whole four-digit-year range and past it. */
    @Property(tries = 3000)
    void formatsAsJavaTimeDoes(@ForAll("millis") long millis) {
        assertEquals(
                new java.time.format.DateTimeFormatterBuilder()
                        .appendInstant(3)
                        .toFormatter()
                        .format(java.time.Instant.ofEpochMilli(millis)),
                Timestamps.format(millis));
    }

    @Provide
    Arbitrary<Long> millis() {
        long min = -62_167_219_200_000L; // 0000-01-01T00:00:00Z
        long max = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
        return Arbitraries.oneOf(
                Arbitraries.longs().between(min - 100_000_000_000L, max + 100_000_000_000L),
                Arbitraries.of(min - 1, min, min + 1, -1L, 0L, 1L, max - 1, max, max + 1));
    }
}
