package io.stupiddb.segments.store;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * One retention class of {@code segments.retention-classes} (SPEC §12): documents naming it are
 * kept in their own segments, in the subdirectory {@code classes/<name>} of the data directory,
 * for {@code retention}, and (when set) the class's segments are capped at {@code maxTotalSize}.
 *
 * @param name         lower-case letters, digits, {@code _} and {@code -}, up to 32, starting
 *                     with a letter or digit; {@code default} names the documents of no class
 * @param retention    how long the class's documents are kept (whole segments, as for the store)
 * @param maxTotalSize the oldest of the class's segments go while they are larger (absent: no cap)
 */
public record RetentionClass(String name, Duration retention, OptionalLong maxTotalSize) {
    /** The class of documents that name none: kept for {@code segments.retention}. */
    public static final String DEFAULT = "default";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    public RetentionClass {
        Objects.requireNonNull(name, "segments.retention-classes");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("segments.retention-classes: class name '" + name
                    + "' must be 1-32 lower-case letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (name.equals(DEFAULT)) {
            throw new IllegalArgumentException("segments.retention-classes: '" + DEFAULT
                    + "' is the class of documents that name none (kept for segments.retention); pick another name");
        }
        Objects.requireNonNull(retention, "segments.retention-classes");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("segments.retention-classes: the retention of class '" + name
                    + "' must be positive: " + ConfigValues.duration(retention));
        }
        Objects.requireNonNull(maxTotalSize, "segments.retention-classes");
        if (maxTotalSize.isPresent() && maxTotalSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("segments.retention-classes: the size cap of class '" + name
                    + "' must be positive: " + ConfigValues.size(maxTotalSize.getAsLong()));
        }
    }

    /** Whether {@code name} could name a class (also one no longer configured). */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches() && !name.equals(DEFAULT);
    }

    /** As {@code segments.retention-classes} spells it: {@code audit=400d} or {@code debug=1d:10G}. */
    @Override
    public String toString() {
        return name + "=" + ConfigValues.duration(retention)
                + (maxTotalSize.isPresent() ? ":" + ConfigValues.size(maxTotalSize.getAsLong()) : "");
    }
}
