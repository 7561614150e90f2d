package io.stupiddb.segments.query;

/**
 * Exact comparison of an integer with a double: a long is never rounded to a double, and every
 * unsigned 64-bit value above {@link Long#MAX_VALUE} (U64) is above every long. The one place this
 * arithmetic lives: the filter evaluator ({@link Compare}) and the block planner
 * ({@code query.plan}) must agree to the last bit.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExactNumbers {
    /** Result when the double is NaN: no order. */
    public static final int UNORDERED = 2;

    /** 2^63 and 2^64 as doubles (both exact). */
    public static final double TWO_63 = 0x1p63;

    public static final double TWO_64 = 0x1p64;

    private ExactNumbers() {}

    /** Sign of {@code a - b}, or {@link #UNORDERED} when {@code b} is NaN. */
    public static int longVsDouble(long a, double b) {
        if (Double.isNaN(b)) {
            return UNORDERED;
        }
        if (b >= TWO_63) {
            return -1;
        }
        if (b < -TWO_63) {
            return 1;
        }
        // |b| < 2^63, so truncating it is exact, and so is the fraction b - truncated.
        long truncated = (long) b;
        if (a != truncated) {
            return Long.compare(a, truncated);
        }
        double fraction = b - truncated;
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }

    /** Sign of {@code a - b} for the unsigned value {@code unsignedBits}, or {@link #UNORDERED} when {@code b} is NaN. */
    public static int u64VsDouble(long unsignedBits, double b) {
        if (Double.isNaN(b)) {
            return UNORDERED;
        }
        if (b < TWO_63) {
            return 1;
        }
        if (b >= TWO_64) {
            return -1;
        }
        // b is in [2^63, 2^64), where every double is an integer; shift it into long range exactly.
        long bBits = (long) (b - TWO_63) + Long.MIN_VALUE;
        return Integer.signum(Long.compareUnsigned(unsignedBits, bBits));
    }
}
