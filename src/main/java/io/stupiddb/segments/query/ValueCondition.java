package io.stupiddb.segments.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A condition on one scalar document value against filter constants: the leaves of a filter. A value
 * of another kind than the constant never passes (see {@link Compare#UNORDERED}); negations
 * ({@code $ne}, {@code $nin}, {@code $not}) are not conditions but {@link Expr.Not} around them.
 *
 * <p>Implementations are immutable and thread-safe.
 */
sealed interface ValueCondition {

    boolean test(Scalar value);

    /** Renders the test applied to {@code path}, for {@link Filter#toString()}. */
    String render(String path);

    /** {@code $eq} and implicit equality. Numbers compare numerically: 1 equals 1.0. */
    record Eq(Literal value) implements ValueCondition {
        @Override
        public boolean test(Scalar scalar) {
            return Compare.compare(scalar, value) == 0;
        }

        @Override
        public String render(String path) {
            return "eq(" + path + ", " + value + ")";
        }
    }

    /** {@code $gt $gte $lt $lte}; the bound is a number or a string. */
    record Range(RangeOp op, Literal bound) implements ValueCondition {
        @Override
        public boolean test(Scalar scalar) {
            int c = Compare.compare(scalar, bound);
            return c != Compare.UNORDERED && op.accepts(c);
        }

        @Override
        public String render(String path) {
            return op.name().toLowerCase(Locale.ROOT) + "(" + path + ", " + bound + ")";
        }
    }

    /** {@code $prefix}: a string starting with the given string (compared as UTF-8 bytes). */
    record Prefix(Literal prefix) implements ValueCondition {
        @Override
        public boolean test(Scalar scalar) {
            return scalar.kind == ValueKind.STRING
                    && Compare.startsWith(scalar.text, scalar.textOffset, scalar.textLength, prefix.utf8);
        }

        @Override
        public String render(String path) {
            return "prefix(" + path + ", " + prefix + ")";
        }
    }

    /**
     * {@code $in}: equal to one of the constants. Strings and numbers are kept sorted so a lookup
     * is a binary search that allocates nothing, whatever the size of the list.
     */
    final class In implements ValueCondition {
        private final List<Literal> values;
        private final byte[][] strings;
        private final Literal[] numbers;
        private final boolean nil;
        private final boolean yes;
        private final boolean no;

        In(List<Literal> values) {
            this.values = List.copyOf(values);
            List<byte[]> s = new ArrayList<>();
            List<Literal> n = new ArrayList<>();
            boolean hasNil = false;
            boolean hasTrue = false;
            boolean hasFalse = false;
            for (Literal v : values) {
                switch (v.kind) {
                    case STRING -> s.add(v.utf8);
                    case LONG, U64, DOUBLE -> n.add(v);
                    case NIL -> hasNil = true;
                    case BOOL -> {
                        hasTrue |= v.bool;
                        hasFalse |= !v.bool;
                    }
                    case OTHER -> throw new IllegalArgumentException("not a constant: " + v);
                }
            }
            strings = s.toArray(byte[][]::new);
            Arrays.sort(strings, Compare::utf8);
            numbers = n.toArray(Literal[]::new);
            // Literals never hold NaN (the parser rejects it), so this order is total.
            Arrays.sort(numbers, (a, b) -> Compare.numbers(a.kind, a.bits, a.dbl, b.kind, b.bits, b.dbl));
            nil = hasNil;
            yes = hasTrue;
            no = hasFalse;
        }

        boolean isEmpty() {
            return values.isEmpty();
        }

        boolean containsNil() {
            return nil;
        }

        @Override
        public boolean test(Scalar scalar) {
            return switch (scalar.kind) {
                case NIL -> nil;
                case BOOL -> scalar.bool ? yes : no;
                case LONG, U64, DOUBLE -> containsNumber(scalar);
                case STRING -> containsString(scalar);
                case OTHER -> false;
            };
        }

        private boolean containsNumber(Scalar scalar) {
            int low = 0;
            int high = numbers.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                Literal m = numbers[mid];
                int c = Compare.numbers(m.kind, m.bits, m.dbl, scalar.kind, scalar.bits, scalar.dbl);
                if (c == Compare.UNORDERED) {
                    return false; // a NaN in the document equals nothing
                } else if (c < 0) {
                    low = mid + 1;
                } else if (c > 0) {
                    high = mid - 1;
                } else {
                    return true;
                }
            }
            return false;
        }

        private boolean containsString(Scalar scalar) {
            int low = 0;
            int high = strings.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                // Negated (document vs constant) is (constant vs document), like containsNumber.
                int c = -Compare.utf8(scalar.text, scalar.textOffset, scalar.textLength, strings[mid]);
                if (c < 0) {
                    low = mid + 1;
                } else if (c > 0) {
                    high = mid - 1;
                } else {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String render(String path) {
            return "in(" + path + ", " + values + ")";
        }
    }
}
