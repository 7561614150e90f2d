package io.stupiddb.segments.service.codec;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * RFC 3339 in and out, the same grammar as the query's {@code from}/{@code to} bounds: four-digit
 * year, {@code T} (or {@code t}), seconds required, 1-9 optional fraction digits, offset {@code Z}
 * ({@code z}) or {@code ±HH:MM} required; strict calendar; no leap seconds. Thread-safe.
 */
public final class Timestamps {

    /** A valid example, for messages. */
    public static final String EXAMPLE = "2026-11-25T10:00:00Z";

    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-')
            .appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    /** Always three fraction digits, always {@code Z}: {@code 2026-11-25T10:00:00.123Z}. */
    private static final DateTimeFormatter OUT = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private Timestamps() {
    }

    /**
     * Epoch milliseconds of an RFC 3339 date-time; sub-millisecond digits are truncated toward the
     * past. Surrounding blanks are ignored.
     *
     * @throws DateTimeParseException when {@code text} is not one
     */
    public static long parseRfc3339(String text) {
        Instant instant = OffsetDateTime.parse(text.strip(), RFC_3339).toInstant();
        return instant.toEpochMilli();
    }

    /** RFC 3339 in UTC with milliseconds: {@code 2026-11-25T10:00:00.123Z}. */
    public static String format(long epochMillis) {
        return OUT.format(Instant.ofEpochMilli(epochMillis));
    }
}
