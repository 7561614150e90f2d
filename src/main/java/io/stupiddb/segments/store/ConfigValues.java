package io.stupiddb.segments.store;

import java.time.Duration;

/**
 * Durations and sizes in messages, spelled the way SPEC §4 has operators write them: the largest
 * unit that divides the value exactly ({@code 1h}, {@code 30d}, {@code 90m}, {@code 500ms};
 * {@code 100M}, {@code 4K}, {@code 4097}), never {@code PT1H} or {@code 104857600}. So a message
 * echoes what the operator configured whenever it was written with one unit ({@code 60m} comes back
 * as {@code 1h}, the same value). Thread-safe (stateless).
 */
public final class ConfigValues {
    private static final long[] DURATION_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    private static final String[] DURATION_UNITS = {"d", "h", "m", "s"};
    private static final String[] SIZE_UNITS = {"T", "G", "M", "K"};

    private ConfigValues() {}

    /** {@code 1h}, {@code 30d}, {@code 0s}; sub-millisecond parts (never produced by the parser) as ISO-8601. */
    public static String duration(Duration duration) {
        if (duration.isNegative() || duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        for (int i = 0; i < DURATION_MILLIS.length; i++) {
            if (millis % DURATION_MILLIS[i] == 0) {
                return millis / DURATION_MILLIS[i] + DURATION_UNITS[i];
            }
        }
        return millis + "ms";
    }

    /** {@code 100M}, {@code 1G}, {@code 4096} → {@code 4K}; binary multiples as SPEC §4 defines them. */
    public static String size(long bytes) {
        if (bytes <= 0) {
            return Long.toString(bytes);
        }
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            int shift = 10 * (SIZE_UNITS.length - i);
            if ((bytes & ((1L << shift) - 1)) == 0) {
                return (bytes >> shift) + SIZE_UNITS[i];
            }
        }
        return Long.toString(bytes);
    }
}
