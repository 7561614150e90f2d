package io.stupiddb.segments.query.plan;

/** The four range operators, applied to the sign of value-vs-bound. */
enum RangeOp {
    GT,
    GTE,
    LT,
    LTE;

    boolean accepts(int comparison) {
        return switch (this) {
            case GT -> comparison > 0;
            case GTE -> comparison >= 0;
            case LT -> comparison < 0;
            case LTE -> comparison <= 0;
        };
    }

    /** True for GT and GTE: the accepted values are closed upwards. */
    boolean upward() {
        return this == GT || this == GTE;
    }
}
