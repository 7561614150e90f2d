package io.stupiddb.segments.query;

/** The four range operators ({@code $gt $gte $lt $lte}), applied to the sign of value-vs-bound. */
public enum RangeOp {
    GT,
    GTE,
    LT,
    LTE;

    public boolean accepts(int comparison) {
        return switch (this) {
            case GT -> comparison > 0;
            case GTE -> comparison >= 0;
            case LT -> comparison < 0;
            case LTE -> comparison <= 0;
        };
    }

    /** True for GT and GTE: the accepted values are closed upwards. */
    public boolean upward() {
        return this == GT || this == GTE;
    }
}
