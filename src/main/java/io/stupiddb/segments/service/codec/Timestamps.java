package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.query.TimeBounds;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 in and out, the same grammar as the query's {@code from}/{@code to} bounds: four-digit
 * year, {@code T} (or {@code t}), seconds required, 1-9 optional fraction digits, offset {@code Z}
 * ({@code z}) or {@code ±HH:MM} required; strict calendar; no leap seconds. Thread-safe.
 */
public final class Timestamps {

    /** A valid example, for messages. */
    public static final String EXAMPLE = "2026-11-25T10:00:00Z";

    /** Always three fraction digits, always {@code Z}: {@code 2026-11-25T10:00:00.123Z}. */
    private static final DateTimeFormatter OUT =
            new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private Timestamps() {}

    /**
     * Epoch milliseconds of an RFC 3339 date-time; sub-millisecond digits are truncated toward the
     * past. Surrounding blanks are ignored.
     *
     * @throws DateTimeParseException when {@code text} is not one
     */
    public static long parseRfc3339(String text) {
        return TimeBounds.parseRfc3339(text);
    }

    /** RFC 3339 in UTC with milliseconds: {@code 2026-11-25T10:00:00.123Z}. */
    public static String format(long epochMillis) {
        return OUT.format(Instant.ofEpochMilli(epochMillis));
    }
}
