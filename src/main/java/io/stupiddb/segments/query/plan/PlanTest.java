package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.format.column.ColumnBlock;
import io.stupiddb.segments.query.RangeOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A leaf test of one scalar value, answered per kind of column value, with the same semantics as
 * the query package's ValueTest (docs/QUERY.md): values of another kind than the constant never
 * pass; numbers compare exactly across int64 and double; strings by unsigned UTF-8 bytes.
 *
 * <p>Besides per-value answers, each test answers for a whole block from its statistics
 * (int/float min and max, string bloom) with {@link #NONE}, {@link #ALL} or {@link #SOME}, so the
 * planner touches rows only when the statistics cannot decide.
 *
 * <p>Implementations are immutable and thread-safe.
 */
sealed interface PlanTest {

    /** Block-level answers. */
    int NONE = 0;

    int SOME = 1;
    int ALL = 2;

    boolean onNull();

    boolean onBool(boolean value);

    /** The int64 values that pass (computed once per filter). */
    LongSet onInts();

    boolean onDouble(double value);

    /** For FLOAT rows whose values lie in {@code [min, max]}. */
    int onDoubles(double min, double max);

    /** For dictionary entry {@code code}, compared in place. */
    boolean onEntry(ColumnBlock column, int code);

    /** For a STRING column stored as a bloom only: NONE, SOME (maybe) or ALL. */
    int onBloom(ColumnBlock column);

    String render(String path);

    /** {@code $eq} and implicit equality (null equality adds "or missing" around it). */
    record Eq(PlanLiteral value, LongSet ints) implements PlanTest {
        Eq(PlanLiteral value) {
            this(value, LongSet.of(java.util.Collections.singletonList(Numbers.equalLong(value))));
        }

        @Override
        public boolean onNull() {
            return value.kind() == PlanLiteral.Kind.NIL;
        }

        @Override
        public boolean onBool(boolean b) {
            return value.kind() == PlanLiteral.Kind.BOOL && value.bool() == b;
        }

        @Override
        public LongSet onInts() {
            return ints;
        }

        @Override
        public boolean onDouble(double v) {
            return value.isNumber() && Numbers.compare(v, value) == 0;
        }

        @Override
        public int onDoubles(double min, double max) {
            if (!value.isNumber() || Numbers.compare(min, value) > 0 || Numbers.compare(max, value) < 0) {
                return NONE;
            }
            return min == max ? ALL : SOME;
        }

        @Override
        public boolean onEntry(ColumnBlock column, int code) {
            return value.kind() == PlanLiteral.Kind.STRING && column.compareEntry(code, value.utf8()) == 0;
        }

        @Override
        public int onBloom(ColumnBlock column) {
            return value.kind() == PlanLiteral.Kind.STRING && column.bloomMightContain(value.hash()) ? SOME : NONE;
        }

        @Override
        public String render(String path) {
            return "eq(" + path + ", " + value + ")";
        }
    }

    /** {@code $gt $gte $lt $lte}; the bound is a number or a string. */
    record Range(RangeOp op, PlanLiteral bound, LongSet ints) implements PlanTest {
        Range(RangeOp op, PlanLiteral bound) {
            this(op, bound, LongSet.of(java.util.Collections.singletonList(Numbers.rangeOfLongs(op, bound))));
        }

        @Override
        public boolean onNull() {
            return false;
        }

        @Override
        public boolean onBool(boolean value) {
            return false;
        }

        @Override
        public LongSet onInts() {
            return ints;
        }

        @Override
        public boolean onDouble(double v) {
            return bound.isNumber() && op.accepts(Numbers.compare(v, bound));
        }

        @Override
        public int onDoubles(double min, double max) {
            if (!bound.isNumber()) {
                return NONE;
            }
            // The accepted set is an interval closed upwards (GT, GTE) or downwards (LT, LTE).
            boolean atMin = onDouble(min);
            boolean atMax = onDouble(max);
            if (atMin && atMax) {
                return ALL;
            }
            return atMin || atMax ? SOME : NONE;
        }

        @Override
        public boolean onEntry(ColumnBlock column, int code) {
            return bound.kind() == PlanLiteral.Kind.STRING
                    && op.accepts(Integer.signum(column.compareEntry(code, bound.utf8())));
        }

        @Override
        public int onBloom(ColumnBlock column) {
            return bound.kind() == PlanLiteral.Kind.STRING ? SOME : NONE;
        }

        @Override
        public String render(String path) {
            return op.name().toLowerCase(Locale.ROOT) + "(" + path + ", " + bound + ")";
        }
    }

    /** {@code $prefix}: a string starting with the given bytes. */
    record Prefix(PlanLiteral prefix) implements PlanTest {
        @Override
        public boolean onNull() {
            return false;
        }

        @Override
        public boolean onBool(boolean value) {
            return false;
        }

        @Override
        public LongSet onInts() {
            return LongSet.NONE;
        }

        @Override
        public boolean onDouble(double value) {
            return false;
        }

        @Override
        public int onDoubles(double min, double max) {
            return NONE;
        }

        @Override
        public boolean onEntry(ColumnBlock column, int code) {
            return column.entryStartsWith(code, prefix.utf8());
        }

        @Override
        public int onBloom(ColumnBlock column) {
            return prefix.utf8().length == 0 ? ALL : SOME; // "" is a prefix of every string
        }

        @Override
        public String render(String path) {
            return "prefix(" + path + ", " + prefix + ")";
        }
    }

    /** {@code $in} over a non-empty list ({@code $in: []} compiles to false). */
    final class In implements PlanTest {
        private final List<PlanLiteral> values;
        private final boolean nil;
        private final boolean yes;
        private final boolean no;
        private final PlanLiteral[] numbers;
        private final PlanLiteral[] strings;
        private final LongSet ints;

        In(List<PlanLiteral> values) {
            this.values = List.copyOf(values);
            List<PlanLiteral> n = new ArrayList<>();
            List<PlanLiteral> s = new ArrayList<>();
            List<long[]> points = new ArrayList<>();
            boolean hasNil = false;
            boolean hasTrue = false;
            boolean hasFalse = false;
            for (PlanLiteral v : values) {
                switch (v.kind()) {
                    case NIL -> hasNil = true;
                    case BOOL -> {
                        hasTrue |= v.bool();
                        hasFalse |= !v.bool();
                    }
                    case STRING -> s.add(v);
                    case LONG, U64, DOUBLE -> {
                        n.add(v);
                        points.add(Numbers.equalLong(v));
                    }
                }
            }
            nil = hasNil;
            yes = hasTrue;
            no = hasFalse;
            numbers = n.toArray(PlanLiteral[]::new);
            Arrays.sort(numbers, Numbers::compare);
            strings = s.toArray(PlanLiteral[]::new);
            Arrays.sort(strings, (a, b) -> Arrays.compareUnsigned(a.utf8(), b.utf8()));
            ints = LongSet.of(points);
        }

        boolean containsNil() {
            return nil;
        }

        @Override
        public boolean onNull() {
            return nil;
        }

        @Override
        public boolean onBool(boolean value) {
            return value ? yes : no;
        }

        @Override
        public LongSet onInts() {
            return ints;
        }

        @Override
        public boolean onDouble(double v) {
            int low = 0;
            int high = numbers.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int c = Numbers.compare(v, numbers[mid]);
                if (c > 0) {
                    low = mid + 1;
                } else if (c < 0) {
                    high = mid - 1;
                } else {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int onDoubles(double min, double max) {
            for (PlanLiteral number : numbers) {
                if (Numbers.compare(min, number) <= 0 && Numbers.compare(max, number) >= 0) {
                    return min == max ? ALL : SOME;
                }
            }
            return NONE;
        }

        @Override
        public boolean onEntry(ColumnBlock column, int code) {
            int low = 0;
            int high = strings.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int c = column.compareEntry(code, strings[mid].utf8());
                if (c > 0) {
                    low = mid + 1;
                } else if (c < 0) {
                    high = mid - 1;
                } else {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int onBloom(ColumnBlock column) {
            for (PlanLiteral string : strings) {
                if (column.bloomMightContain(string.hash())) {
                    return SOME;
                }
            }
            return NONE;
        }

        @Override
        public String render(String path) {
            return "in(" + path + ", " + values + ")";
        }
    }
}
