package io.stupiddb.segments.service.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration spellings of SPEC §4: a non-negative whole number followed by a unit,
 * {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 500ms}, {@code 10s}, {@code 1m},
 * {@code 1h}, {@code 30d}; units are case-insensitive, surrounding blanks are ignored). ISO-8601
 * ({@code PT1H}, {@code P30D}) is accepted too, so a value copied from Quarkus documentation works.
 *
 * <p>Why not Quarkus' own {@code DurationConverter}: it accepts {@code 30d} too, but also a bare number
 * as seconds ({@code 10}), fractions ({@code 1.5s}) and negative values ({@code -1s}), and its error
 * says only {@code Invalid duration: 30x}. Here a bare number is refused (seconds or milliseconds?) and
 * the error lists the spellings. Thread-safe (stateless).
 */
public final class DurationParser {

    /** The spellings named in every error message. */
    public static final String HINT = "use 500ms, 10s, 1m, 1h, 30d";

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private DurationParser() {}

    /**
     * @return the duration {@code text} spells
     * @throws IllegalArgumentException naming the value and the accepted spellings
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot parse a missing value as a duration (" + HINT + ")");
        }
        String trimmed = text.strip();
        Matcher m = SIMPLE.matcher(trimmed.toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    default -> throw new AssertionError(m.group(2));
                };
            }
            if (!trimmed.isEmpty() && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
                Duration iso = Duration.parse(trimmed);
                if (!iso.isNegative()) {
                    return iso;
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse '" + text + "' as a duration: too large", e);
        } catch (DateTimeParseException e) {
            // falls through to the common message
        }
        throw new IllegalArgumentException("cannot parse '" + text + "' as a duration (" + HINT + ")");
    }
}
