package io.stupiddb.segments.api;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * How every query parameter (and search body field) of the API that is a number or a flag is
 * read, so that {@code limit} or {@code partial} means the same on every route. Absent or blank
 * means "not given"; anything else must be exactly right, or it is a 400
 * ({@link InvalidParameterException}) that names the parameter.
 */
final class Parameters {
    /** Page size when {@code limit} is not given (SPEC §2). */
    static final int DEFAULT_LIMIT = 100;

    static final int MAX_LIMIT = 10_000;

    private Parameters() {}

    /** {@code limit}: 1 to {@value #MAX_LIMIT}; empty when not given. */
    static OptionalInt limit(String text) {
        if (absent(text)) {
            return OptionalInt.empty();
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("limit must be an integer from 1 to " + MAX_LIMIT + ": '" + text + "'");
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidParameterException("limit must be from 1 to " + MAX_LIMIT + ": " + value);
        }
        return OptionalInt.of((int) value);
    }

    /**
     * A flag such as {@code partial}: {@code true} or {@code false} (any case), false when not
     * given. Strict, so that a misspelt {@code partial=yes} is not silently taken as "no".
     */
    static boolean flag(String text, String name) {
        if (absent(text)) {
            return false;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameterException(name + " must be true or false: '" + text + "'");
        };
    }

    /** An event seq such as {@code after}: a non-negative integer, 0 when not given. */
    static long seq(String text, String name) {
        if (absent(text)) {
            return 0;
        }
        try {
            long seq = Long.parseLong(text.strip());
            if (seq < 0) {
                throw new InvalidParameterException(name + " must not be negative: " + seq);
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(
                    name + " must be an event seq (a non-negative integer): '" + text + "'");
        }
    }

    static boolean absent(String text) {
        return text == null || text.isBlank();
    }
}
