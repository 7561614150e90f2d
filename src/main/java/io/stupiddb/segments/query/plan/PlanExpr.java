package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.format.column.ColumnPath;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The boolean structure of a filter as the planner evaluates it: the same tree the query package
 * compiles (docs/QUERY.md), with {@code $ne}, {@code $nin} and field {@code $not} already turned
 * into {@link Not} and null equality into {@code or(eq null, not exists)}. Leaves are
 * {@link Exists} (the path reaches a value) and {@link Holds} (some value at the path passes a
 * {@link PlanTest}).
 *
 * <p>Immutable and thread-safe; depth is bounded by the filter nesting limit.
 */
sealed interface PlanExpr {

    PlanExpr TRUE = new Const(true);
    PlanExpr FALSE = new Const(false);

    record Const(boolean value) implements PlanExpr {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record And(List<PlanExpr> terms) implements PlanExpr {
        @Override
        public String toString() {
            return terms.stream().map(Object::toString).collect(Collectors.joining(", ", "and(", ")"));
        }
    }

    record Or(List<PlanExpr> terms) implements PlanExpr {
        @Override
        public String toString() {
            return terms.stream().map(Object::toString).collect(Collectors.joining(", ", "or(", ")"));
        }
    }

    record Not(PlanExpr term) implements PlanExpr {
        @Override
        public String toString() {
            return "not(" + term + ")";
        }
    }

    /** @param slot index of the path in the planner's path table */
    record Exists(int slot, ColumnPath path) implements PlanExpr {
        @Override
        public String toString() {
            return "exists(" + path + ")";
        }
    }

    record Holds(int slot, ColumnPath path, PlanTest test) implements PlanExpr {
        @Override
        public String toString() {
            return test.render(path.path());
        }
    }

    static PlanExpr and(List<PlanExpr> terms) {
        List<PlanExpr> kept = new java.util.ArrayList<>();
        for (PlanExpr term : terms) {
            if (term instanceof Const(boolean value)) {
                if (!value) {
                    return FALSE;
                }
            } else if (term instanceof And(List<PlanExpr> inner)) {
                kept.addAll(inner);
            } else {
                kept.add(term);
            }
        }
        return kept.isEmpty() ? TRUE : kept.size() == 1 ? kept.getFirst() : new And(List.copyOf(kept));
    }

    static PlanExpr or(List<PlanExpr> terms) {
        List<PlanExpr> kept = new java.util.ArrayList<>();
        for (PlanExpr term : terms) {
            if (term instanceof Const(boolean value)) {
                if (value) {
                    return TRUE;
                }
            } else if (term instanceof Or(List<PlanExpr> inner)) {
                kept.addAll(inner);
            } else {
                kept.add(term);
            }
        }
        return kept.isEmpty() ? FALSE : kept.size() == 1 ? kept.getFirst() : new Or(List.copyOf(kept));
    }

    static PlanExpr not(PlanExpr term) {
        return switch (term) {
            case Const(boolean value) -> value ? FALSE : TRUE;
            case Not(PlanExpr inner) -> inner;
            default -> new Not(term);
        };
    }
}
