package io.stupiddb.segments.service.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the size spellings of SPEC §4: a non-negative whole number of bytes ({@code 4096}) or a
 * number with a binary unit, {@code K} = 1024, {@code M} = 1024², {@code G} = 1024³, {@code T} = 1024⁴
 * ({@code 100K}, {@code 16M}, {@code 1G}; case-insensitive, surrounding blanks ignored). No
 * fractions, no {@code B}/{@code iB} suffixes, no decimal (1000) multiples. Thread-safe (stateless).
 */
public final class SizeParser {

    /** The spellings named in every error message. */
    public static final String HINT = "use 4096, 100K, 16M, 1G";

    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)");

    private SizeParser() {}

    /**
     * @return the number of bytes {@code text} spells
     * @throws IllegalArgumentException naming the value and the accepted spellings
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cannot parse a missing value as a size (" + HINT + ")");
        }
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse '" + text + "' as a size (" + HINT + ")");
        }
        int shift = switch (m.group(2)) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> throw new AssertionError(m.group(2));
        };
        try {
            long amount = Long.parseLong(m.group(1));
            if (amount > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return amount << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot parse '" + text + "' as a size: too large", e);
        }
    }
}
