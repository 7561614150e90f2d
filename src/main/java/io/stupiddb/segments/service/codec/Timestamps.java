package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.query.TimeBounds;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
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
        long fast = parseUtc(text);
        return fast != NOT_SIMPLE ? fast : TimeBounds.parseRfc3339(text);
    }

    /** {@link #parseUtc}'s answer for any text it leaves to the full parser. */
    private static final long NOT_SIMPLE = Long.MIN_VALUE;

    /**
     * The common form {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z} (T and Z in either case, no blanks)
     * without java.time's formatter: that parser took a tenth of the JSON decoder's time and
     * allocated a map per timestamp. Anything else, valid (an offset, blanks) or not (February 30,
     * hour 24), is {@link #NOT_SIMPLE}, for the full parser to answer or explain; so the two agree by
     * construction on what they both accept (TimestampsTest checks it on random texts).
     */
    private static long parseUtc(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || n == 21 || (t.charAt(n - 1) | 0x20) != 'z' || (t.charAt(10) | 0x20) != 't') {
            return NOT_SIMPLE;
        }
        if (t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return NOT_SIMPLE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return NOT_SIMPLE;
        }
        if (month < 1
                || month > 12
                || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_SIMPLE;
        }
        int millis = 0;
        if (n > 20) { // '.' then 1 to 9 digits
            if (t.charAt(19) != '.' || digits(t, 20, n - 21) < 0) {
                return NOT_SIMPLE;
            }
            for (int i = 20; i < 23; i++) { // milliseconds; further digits are truncated
                millis = 10 * millis + (i < n - 1 ? t.charAt(i) - '0' : 0);
            }
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second;
        return seconds * 1000 + millis;
    }

    /** The value of {@code count} decimal digits from {@code at}, or -1 when one is not a digit. */
    private static int digits(String t, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** RFC 3339 in UTC with milliseconds: {@code 2026-11-25T10:00:00.123Z}. */
    public static String format(long epochMillis) {
        byte[] ascii = new byte[ASCII_WIDTH];
        if (!formatAscii(epochMillis, ascii, 0)) {
            return OUT.format(Instant.ofEpochMilli(epochMillis)); // a sign and more digits
        }
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /** The length of what {@link #formatAscii} writes. */
    public static final int ASCII_WIDTH = 24;

    /**
     * Writes {@link #format}'s text as ASCII into {@code out[at, at + 24)} and returns true; or writes
     * nothing and returns false for a year outside 0000-9999 (a sign and more digits: use
     * {@link #format}). Every GET and every scanned document is formatted: by hand, no formatter,
     * and for the JSON writers no String either.
     */
    public static boolean formatAscii(long epochMillis, byte[] out, int at) {
        if (epochMillis < MIN_FOUR_DIGIT_YEAR || epochMillis > MAX_FOUR_DIGIT_YEAR) {
            return false;
        }
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        put(out, at, date.getYear(), 4);
        out[at + 4] = '-';
        put(out, at + 5, date.getMonthValue(), 2);
        out[at + 7] = '-';
        put(out, at + 8, date.getDayOfMonth(), 2);
        out[at + 10] = 'T';
        put(out, at + 11, secondOfDay / 3600, 2);
        out[at + 13] = ':';
        put(out, at + 14, secondOfDay / 60 % 60, 2);
        out[at + 16] = ':';
        put(out, at + 17, secondOfDay % 60, 2);
        out[at + 19] = '.';
        put(out, at + 20, millis, 3);
        out[at + 23] = 'Z';
        return true;
    }

    /** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range written without a sign. */
    private static final long MIN_FOUR_DIGIT_YEAR = -62_167_219_200_000L;

    private static final long MAX_FOUR_DIGIT_YEAR = 253_402_300_799_999L;

    private static void put(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
