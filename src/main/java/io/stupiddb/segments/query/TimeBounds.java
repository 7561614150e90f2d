package io.stupiddb.segments.query;

import java.time.DateTimeException;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * The half-open time range {@code [from, to)} of a scan, in epoch milliseconds (SPEC §2: {@code from}
 * inclusive, {@code to} exclusive). An absent bound is {@link #UNBOUNDED_FROM} ({@link Long#MIN_VALUE})
 * or {@link #UNBOUNDED_TO} ({@link Long#MAX_VALUE}); plain longs rather than {@code OptionalLong}
 * keep {@link #contains} and {@link #overlaps} branch-free. (So a document stamped exactly
 * {@code Long.MAX_VALUE} ms, in the year 292278994, is never inside any range.)
 *
 * <p>Invariant: {@code from <= to}. {@code from == to} is a valid, empty range: it contains and
 * overlaps nothing, and a scan over it returns no documents rather than an error, as any half-open
 * interval arithmetic a client does (e.g. splitting a window) expects. {@code from > to} is
 * rejected with {@link TimeBoundsException}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param from first included epoch millisecond, or {@link #UNBOUNDED_FROM}
 * @param to   first excluded epoch millisecond, or {@link #UNBOUNDED_TO}
 */
public record TimeBounds(long from, long to) {

    public static final long UNBOUNDED_FROM = Long.MIN_VALUE;
    public static final long UNBOUNDED_TO = Long.MAX_VALUE;

    private static final TimeBounds ALL = new TimeBounds(UNBOUNDED_FROM, UNBOUNDED_TO);

    private static final String EXPECTED = "expected an RFC 3339 timestamp such as 2026-11-25T10:00:00Z or"
            + " 2026-11-25T11:00:00.250+01:00, or epoch milliseconds such as 1795600800000";

    /**
     * RFC 3339 {@code date-time}: four-digit year, {@code T} (or {@code t}), seconds required,
     * optional fraction of 1 to 9 digits, and an offset that is {@code Z}/{@code z} or {@code ±HH:MM}.
     * STRICT resolving rejects impossible dates (February 30) instead of adjusting them.
     */
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

    /**
     * Epoch milliseconds of an RFC 3339 date-time (the grammar above); sub-millisecond digits
     * are truncated toward the past; surrounding blanks ignored. The one RFC 3339 parser of the
     * project: request bodies' timestamp fields use it too.
     *
     * @throws java.time.format.DateTimeParseException when {@code text} is not one
     */
    public static long parseRfc3339(String text) {
        return java.time.OffsetDateTime.parse(text.strip(), RFC_3339)
                .toInstant()
                .toEpochMilli();
    }

    public TimeBounds {
        if (from > to) {
            throw new TimeBoundsException(
                    "from",
                    Long.toString(from),
                    "from (" + from + ") is after to (" + to + "): from must not be later than to");
        }
    }

    /** The range without bounds: every timestamp. */
    public static TimeBounds all() {
        return ALL;
    }

    /**
     * Parses the {@code from}/{@code to} request parameters. Each is an RFC 3339 timestamp or epoch
     * milliseconds (see {@link #parseTimestamp}); {@code null} or blank means unbounded.
     *
     * @throws TimeBoundsException naming {@code from} or {@code to} and the bad value, or naming
     *                             {@code from} when it is later than {@code to}
     */
    public static TimeBounds parse(String from, String to) {
        long start = isAbsent(from) ? UNBOUNDED_FROM : parseTimestamp(from, "from");
        long end = isAbsent(to) ? UNBOUNDED_TO : parseTimestamp(to, "to");
        if (start > end) {
            throw new TimeBoundsException(
                    "from",
                    from,
                    "from \"" + from + "\" is later than to \"" + to + "\"; from is inclusive, to exclusive,"
                            + " and from must not be later than to");
        }
        return new TimeBounds(start, end);
    }

    private static boolean isAbsent(String text) {
        return text == null || text.isBlank();
    }

    /**
     * Parses one timestamp: epoch milliseconds (an optional minus sign and digits, e.g.
     * {@code 1795600800000}), or an RFC 3339 date-time with a mandatory offset
     * ({@code 2026-11-25T10:00:00Z}, {@code 2026-11-25T11:00:00.25+01:00}). Surrounding whitespace
     * is ignored. Fractions below a millisecond are truncated toward the past. Leap seconds
     * ({@code :60}), more than 9 fraction digits, offsets beyond ±18:00 (allowed by the RFC 3339
     * grammar, used by no time zone, refused by {@code java.time}), dates without a time and
     * times without an offset are rejected.
     *
     * @param parameterName the request parameter, for the error message (e.g. {@code "from"})
     * @throws TimeBoundsException naming the parameter and the value; also for null or blank text
     */
    public static long parseTimestamp(String text, String parameterName) {
        if (text == null || text.isBlank()) {
            throw new TimeBoundsException(parameterName, text, "invalid " + parameterName + ": empty; " + EXPECTED);
        }
        String trimmed = text.strip();
        if (isEpochMillis(trimmed)) {
            try {
                return Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                throw new TimeBoundsException(
                        parameterName,
                        text,
                        "invalid " + parameterName + " \"" + text + "\": epoch milliseconds out of range");
            }
        }
        try {
            return parseRfc3339(trimmed);
        } catch (DateTimeParseException e) {
            throw new TimeBoundsException(
                    parameterName,
                    text,
                    "invalid " + parameterName + " \"" + text + "\": " + reason(trimmed, e) + "; " + EXPECTED);
        }
    }

    private static boolean isEpochMillis(String text) {
        int start = text.charAt(0) == '-' ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String reason(String text, DateTimeParseException e) {
        if (e.getCause() instanceof DateTimeException cause) {
            return cause.getMessage(); // e.g. "Invalid date 'FEBRUARY 30'"
        }
        int index = e.getErrorIndex();
        if (index >= text.length()) {
            return "incomplete timestamp (RFC 3339 needs a date, a time with seconds and an offset such as Z)";
        }
        return "unexpected \"" + text.charAt(index) + "\" at character " + (index + 1);
    }

    /** True when {@code timestamp} is in {@code [from, to)}. */
    public boolean contains(long timestamp) {
        return from <= timestamp && timestamp < to;
    }

    /**
     * True when the closed interval {@code [minTimestamp, maxTimestamp]} (a segment's oldest and
     * newest document) shares at least one millisecond with this range, i.e. the segment may hold
     * matching documents and cannot be skipped. An inverted interval ({@code min > max}, the
     * usual initial value of a min/max accumulator for an empty segment) overlaps nothing.
     */
    public boolean overlaps(long minTimestamp, long maxTimestamp) {
        // from < to: an empty range overlaps nothing, not even a segment that spans it.
        return from < to && minTimestamp <= maxTimestamp && minTimestamp < to && maxTimestamp >= from;
    }

    /** True for {@code from == to}: the range contains no timestamp. */
    public boolean isEmpty() {
        return from == to;
    }
}
