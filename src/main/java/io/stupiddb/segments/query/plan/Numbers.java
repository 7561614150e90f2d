package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.query.ExactNumbers;
import io.stupiddb.segments.query.RangeOp;

/**
 * Exact comparisons between stored numbers and filter literals, with the query package's
 * arithmetic ({@link ExactNumbers}, which the filter evaluator uses too): a long is never rounded to a double, every
 * U64 (above {@link Long#MAX_VALUE}) is above every long. Neither side is ever NaN here: columns
 * store NaN as OTHER and the filter parser rejects NaN literals.
 *
 * <p>Stateless and thread-safe.
 */
final class Numbers {

    private static final double TWO_63 = ExactNumbers.TWO_63;

    private Numbers() {}

    /** Sign of {@code v - literal} for a numeric literal. */
    static int compare(double v, PlanLiteral literal) {
        return switch (literal.kind()) {
            case LONG -> -ExactNumbers.longVsDouble(literal.bits(), v);
            case U64 -> -ExactNumbers.u64VsDouble(literal.bits(), v);
            case DOUBLE -> v < literal.dbl() ? -1 : v > literal.dbl() ? 1 : 0;
            default -> throw new IllegalArgumentException("not a number: " + literal);
        };
    }

    /** Sign of {@code a - b} for two numeric literals (a total order: literals are never NaN). */
    static int compare(PlanLiteral a, PlanLiteral b) {
        if (a.kind() == PlanLiteral.Kind.DOUBLE) {
            return compare(a.dbl(), b);
        }
        if (b.kind() == PlanLiteral.Kind.DOUBLE) {
            return -compare(b.dbl(), a);
        }
        if (a.kind() == b.kind()) {
            return a.kind() == PlanLiteral.Kind.LONG
                    ? Long.compare(a.bits(), b.bits())
                    : Integer.signum(Long.compareUnsigned(a.bits(), b.bits()));
        }
        return a.kind() == PlanLiteral.Kind.U64 ? 1 : -1;
    }

    // ---- the literal side of a test on int64 values, as intervals of longs ---------------------

    /** The longs equal to {@code literal}: one value, or none ({@code null}). */
    static long[] equalLong(PlanLiteral literal) {
        return switch (literal.kind()) {
            case LONG -> new long[] {literal.bits(), literal.bits()};
            case DOUBLE -> {
                double d = literal.dbl();
                // Integral and inside [-2^63, 2^63): exactly one long equals it.
                yield d == Math.rint(d) && d >= -TWO_63 && d < TWO_63 ? new long[] {(long) d, (long) d} : null;
            }
            default -> null; // U64 is above every long; other kinds never equal a number
        };
    }

    /** The interval {lo, hi} of longs v with {@code v op literal}, or null when there is none. */
    static long[] rangeOfLongs(RangeOp op, PlanLiteral literal) {
        return switch (literal.kind()) {
            case LONG -> {
                long x = literal.bits();
                yield switch (op) {
                    case GT -> x == Long.MAX_VALUE ? null : new long[] {x + 1, Long.MAX_VALUE};
                    case GTE -> new long[] {x, Long.MAX_VALUE};
                    case LT -> x == Long.MIN_VALUE ? null : new long[] {Long.MIN_VALUE, x - 1};
                    case LTE -> new long[] {Long.MIN_VALUE, x};
                };
            }
            case U64 ->
                switch (op) {
                    case GT, GTE -> null;
                    case LT, LTE -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
                };
            case DOUBLE -> {
                double d = literal.dbl();
                yield switch (op) {
                    // v > d  <=>  v >= floor(d) + 1 ; v >= d  <=>  v >= ceil(d)
                    case GT -> d >= TWO_63 ? null : d < -TWO_63 ? all() : atLeast(Math.floor(d), 1);
                    case GTE -> d > TWO_63 || d == TWO_63 ? null : d <= -TWO_63 ? all() : atLeast(Math.ceil(d), 0);
                    // v < d  <=>  v <= ceil(d) - 1 ; v <= d  <=>  v <= floor(d)
                    case LT ->
                        d >= TWO_63
                                ? all()
                                : d <= -TWO_63 ? null : new long[] {Long.MIN_VALUE, (long) Math.ceil(d) - 1};
                    case LTE ->
                        d >= TWO_63 ? all() : d < -TWO_63 ? null : new long[] {Long.MIN_VALUE, (long) Math.floor(d)};
                };
            }
            default -> null;
        };
    }

    private static long[] all() {
        return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
    }

    /** [integral + add, MAX], where integral is an integer-valued double in [-2^63, 2^63). */
    private static long[] atLeast(double integral, long add) {
        long lo = (long) integral;
        if (add == 1 && lo == Long.MAX_VALUE) {
            return null;
        }
        return new long[] {lo + add, Long.MAX_VALUE};
    }
}
