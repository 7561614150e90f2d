package io.stupiddb.segments.query;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeBoundsTest {

    private static final long NOV_25_10H = 1_795_600_800_000L; // 2026-11-25T10:00:00Z

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2026-11-25T10:00:00Z                | 1795600800000
            2026-11-25t10:00:00z                | 1795600800000
            2026-11-25T11:00:00+01:00           | 1795600800000
            2026-11-25T05:30:00-04:30           | 1795600800000
            2026-11-25T10:00:00-00:00           | 1795600800000
            2026-11-26T04:00:00+18:00           | 1795600800000
            2026-11-25T10:00:00.250Z            | 1795600800250
            2026-11-25T10:00:00.2Z              | 1795600800200
            2026-11-25T10:00:00.123456789Z      | 1795600800123
            2026-11-25T10:00:00.999999999+00:00 | 1795600800999
            1969-12-31T23:59:59.999Z            | -1
            1969-12-31T23:59:59.9995Z           | -1
            1970-01-01T00:00:00Z                | 0
            2024-02-29T00:00:00Z                | 1709164800000
            0000-01-01T00:00:00Z                | -62167219200000
            9999-12-31T23:59:59.999Z            | 253402300799999
            1795600800000                       | 1795600800000
            '  1795600800000 '                  | 1795600800000
            0                                   | 0
            -1                                  | -1
            007                                 | 7
            9223372036854775807                 | 9223372036854775807
            -9223372036854775808                | -9223372036854775808
            """)
    void parsesRfc3339AndEpochMillis(String text, long expected) {
        assertEquals(expected, TimeBounds.parseTimestamp(text, "from"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "yesterday",
                "2026-11-25",
                "2026-11-25T10:00:00",
                "2026-11-25T10:00Z",
                "2026-11-25 10:00:00Z",
                "2026-02-30T10:00:00Z",
                "2025-02-29T10:00:00Z",
                "2026-11-25T24:00:00Z",
                "2026-11-25T23:59:60Z",
                "2026-11-25T10:00:00+0100",
                "2026-11-25T10:00:00+01",
                "2026-11-25T10:00:00.Z",
                "2026-11-25T10:00:00.1234567890Z",
                "2026-11-25T10:00:00+24:00",
                "2026-11-26T09:59:00+23:59",
                "12026-11-25T10:00:00Z",
                "+1795600800000",
                "1.5",
                "1e3",
                "0x10",
                "-",
                "--1",
                "9223372036854775808",
                "-9223372036854775809",
                "١٢٣",
                "2026-11-25T10:00:00ZZ",
                "now"
            })
    void rejectsEverythingElseNamingParameterAndValue(String text) {
        TimeBoundsException e = assertThrows(TimeBoundsException.class, () -> TimeBounds.parseTimestamp(text, "to"));
        assertEquals("to", e.parameter());
        assertEquals(text, e.value());
        assertTrue(e.getMessage().startsWith("invalid to \"" + text + "\": "), e.getMessage());
    }

    @Test
    void errorMessagesSayWhatIsWrong() {
        assertEquals(
                "invalid from \"2026-11-25T10:00:00\": incomplete timestamp (RFC 3339 needs a date, a time with"
                        + " seconds and an offset such as Z); expected an RFC 3339 timestamp such as 2026-11-25T10:00:00Z or"
                        + " 2026-11-25T11:00:00.250+01:00, or epoch milliseconds such as 1795600800000",
                message("2026-11-25T10:00:00"));
        assertTrue(message("2026-02-30T10:00:00Z")
                .startsWith("invalid from \"2026-02-30T10:00:00Z\": Invalid date 'FEBRUARY 30'; "));
        assertTrue(message("yesterday").startsWith("invalid from \"yesterday\": unexpected \"y\" at character 1; "));
        assertTrue(message("2026-11-25 10:00:00Z").contains("unexpected \" \" at character 11"));
        assertEquals(
                "invalid from \"9223372036854775808\": epoch milliseconds out of range",
                message("9223372036854775808"));
    }

    private static String message(String text) {
        return assertThrows(TimeBoundsException.class, () -> TimeBounds.parseTimestamp(text, "from"))
                .getMessage();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void absentOrBlankMeansUnbounded(String text) {
        assertEquals(TimeBounds.all(), TimeBounds.parse(text, text));
        assertEquals(new TimeBounds(NOV_25_10H, Long.MAX_VALUE), TimeBounds.parse("2026-11-25T10:00:00Z", text));
        assertEquals(new TimeBounds(Long.MIN_VALUE, NOV_25_10H), TimeBounds.parse(text, "1795600800000"));
        TimeBoundsException e = assertThrows(TimeBoundsException.class, () -> TimeBounds.parseTimestamp(text, "from"));
        assertEquals("from", e.parameter());
    }

    @Test
    void parsesBothBoundsInEitherFormat() {
        TimeBounds bounds = TimeBounds.parse("2026-11-25T11:00:00+01:00", "1795604400000");
        assertEquals(NOV_25_10H, bounds.from());
        assertEquals(NOV_25_10H + 3_600_000, bounds.to());
        assertSame(TimeBounds.all(), TimeBounds.all());
        assertEquals(TimeBounds.UNBOUNDED_FROM, TimeBounds.all().from());
        assertEquals(TimeBounds.UNBOUNDED_TO, TimeBounds.all().to());
    }

    @Test
    void fromAfterToIsRefusedNamingFrom() {
        TimeBoundsException e = assertThrows(
                TimeBoundsException.class, () -> TimeBounds.parse("2026-11-25T11:00:00Z", "2026-11-25T10:00:00Z"));
        assertEquals("from", e.parameter());
        assertEquals("2026-11-25T11:00:00Z", e.value());
        assertEquals(
                "from \"2026-11-25T11:00:00Z\" is later than to \"2026-11-25T10:00:00Z\"; from is inclusive,"
                        + " to exclusive, and from must not be later than to",
                e.getMessage());
        assertThrows(TimeBoundsException.class, () -> new TimeBounds(2, 1));
    }

    @Test
    void badToIsBlamedOnTo() {
        TimeBoundsException e = assertThrows(TimeBoundsException.class, () -> TimeBounds.parse("0", "soon"));
        assertEquals("to", e.parameter());
        assertEquals("soon", e.value());
    }

    @Test
    void fromEqualToIsAnEmptyRange() {
        TimeBounds empty = TimeBounds.parse("2026-11-25T10:00:00Z", "1795600800000");
        assertTrue(empty.isEmpty());
        assertFalse(empty.contains(NOV_25_10H));
        assertFalse(empty.overlaps(Long.MIN_VALUE, Long.MAX_VALUE));
        assertFalse(TimeBounds.all().isEmpty());
    }

    @Test
    void containsIsHalfOpen() {
        TimeBounds bounds = new TimeBounds(10, 20);
        assertFalse(bounds.contains(9));
        assertTrue(bounds.contains(10));
        assertTrue(bounds.contains(19));
        assertFalse(bounds.contains(20));
        assertTrue(TimeBounds.all().contains(Long.MIN_VALUE));
        assertTrue(TimeBounds.all().contains(Long.MAX_VALUE - 1));
    }

    @ParameterizedTest(name = "[{0},{1}] vs [10,20) -> {2}")
    @CsvSource({
        "0, 9, false",
        "0, 10, true",
        "10, 10, true",
        "19, 30, true",
        "20, 30, false",
        "12, 15, true",
        "0, 100, true",
        "5, 3, false",
        "9223372036854775807, -9223372036854775808, false"
    })
    void overlapsComparesAClosedSegmentRangeWithHalfOpenBounds(long min, long max, boolean expected) {
        assertEquals(expected, new TimeBounds(10, 20).overlaps(min, max));
    }

    // ---- properties --------------------------------------------------------------------------

    @Property(tries = 1_000)
    void rfc3339RoundTrips(
            @ForAll @LongRange(min = -62_167_219_200_000L, max = 253_402_300_799_999L) long epochMillis,
            @ForAll @IntRange(min = 0, max = 999_999) int subMillisNanos,
            @ForAll("offsets") ZoneOffset offset,
            @ForAll("fractionPatterns") String fraction) {
        Instant instant = Instant.ofEpochMilli(epochMillis).plusNanos(subMillisNanos);
        OffsetDateTime local = instant.atOffset(offset);
        if (local.getYear() < 0 || local.getYear() > 9999) {
            return; // RFC 3339 has four-digit years
        }
        String text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss" + fraction + "XXX"));
        long expected = OffsetDateTime.parse(text).toInstant().toEpochMilli();
        assertEquals(expected, TimeBounds.parseTimestamp(text, "from"), text);
        if (fraction.length() >= 4) {
            assertEquals(epochMillis, TimeBounds.parseTimestamp(text, "from"), text);
        }
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers()
                .between(-18 * 60, 18 * 60)
                .map(minutes -> ZoneOffset.ofTotalSeconds(minutes * 60));
    }

    @Provide
    Arbitrary<String> fractionPatterns() {
        return Arbitraries.of("", ".S", ".SSS", ".SSSSSS", ".SSSSSSSSS");
    }

    /** overlaps(min, max) is exactly "some millisecond of [min, max] is contained". */
    @Property(tries = 2_000)
    void overlapsAgreesWithBruteForce(
            @ForAll @LongRange(min = -6, max = 6) long from,
            @ForAll @LongRange(min = -6, max = 6) long to,
            @ForAll @LongRange(min = -8, max = 8) long min,
            @ForAll @LongRange(min = -8, max = 8) long max,
            @ForAll boolean unboundedFrom,
            @ForAll boolean unboundedTo) {
        long start = unboundedFrom ? TimeBounds.UNBOUNDED_FROM : from;
        long end = unboundedTo ? TimeBounds.UNBOUNDED_TO : to;
        if (start > end) {
            assertThrows(TimeBoundsException.class, () -> new TimeBounds(start, end));
            return;
        }
        TimeBounds bounds = new TimeBounds(start, end);
        boolean any = false;
        for (long t = min; t <= max; t++) {
            any |= bounds.contains(t);
        }
        assertEquals(any, bounds.overlaps(min, max));
    }
}
