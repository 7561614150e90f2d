package io.stupiddb.segments.query;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The boolean structure of a parsed filter. Leaves are {@link Exists} (a path is present) and
 * {@link Holds} (some value at a path passes a test); both are answered from the arrays one walk
 * over the document fills in, so evaluating the tree never touches the document again.
 *
 * <p>Trees are immutable and thread-safe. Their depth is bounded by the filter nesting limit, so
 * the recursion in {@link #eval} is shallow.
 */
sealed interface Expr {

    Expr TRUE = new Const(true);
    Expr FALSE = new Const(false);

    /**
     * @param present per path slot: the path resolved to at least one value (of any kind)
     * @param hits    per atom index: at least one value at the atom's path passed its test
     */
    boolean eval(boolean[] present, boolean[] hits);

    record Const(boolean value) implements Expr {
        @Override
        public boolean eval(boolean[] present, boolean[] hits) {
            return value;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record And(List<Expr> terms) implements Expr {
        @Override
        public boolean eval(boolean[] present, boolean[] hits) {
            // Index loop: no iterator on the per-document path.
            for (int i = 0; i < terms.size(); i++) {
                if (!terms.get(i).eval(present, hits)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return terms.stream().map(Object::toString).collect(Collectors.joining(", ", "and(", ")"));
        }
    }

    record Or(List<Expr> terms) implements Expr {
        @Override
        public boolean eval(boolean[] present, boolean[] hits) {
            for (int i = 0; i < terms.size(); i++) {
                if (terms.get(i).eval(present, hits)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return terms.stream().map(Object::toString).collect(Collectors.joining(", ", "or(", ")"));
        }
    }

    record Not(Expr term) implements Expr {
        @Override
        public boolean eval(boolean[] present, boolean[] hits) {
            return !term.eval(present, hits);
        }

        @Override
        public String toString() {
            return "not(" + term + ")";
        }
    }

    record Exists(int slot, String path) implements Expr {
        @Override
        public boolean eval(boolean[] present, boolean[] hits) {
            return present[slot];
        }

        @Override
        public String toString() {
            return "exists(" + path + ")";
        }
    }

    record Holds(Atom atom) implements Expr {
        @Override
        public boolean eval(boolean[] present, boolean[] hits) {
            return hits[atom.index()];
        }

        @Override
        public String toString() {
            return atom.test().render(atom.path());
        }
    }

    /** Conjunction with constants folded away: {@code and()} is true, a false term makes it false. */
    static Expr and(List<Expr> terms) {
        List<Expr> kept = new ArrayList<>(terms.size());
        for (Expr term : terms) {
            if (term instanceof Const(boolean value)) {
                if (!value) {
                    return FALSE;
                }
            } else if (term instanceof And(List<Expr> inner)) {
                kept.addAll(inner);
            } else {
                kept.add(term);
            }
        }
        return kept.isEmpty() ? TRUE : kept.size() == 1 ? kept.getFirst() : new And(List.copyOf(kept));
    }

    /** Disjunction with constants folded away: {@code or()} is false, a true term makes it true. */
    static Expr or(List<Expr> terms) {
        List<Expr> kept = new ArrayList<>(terms.size());
        for (Expr term : terms) {
            if (term instanceof Const(boolean value)) {
                if (value) {
                    return TRUE;
                }
            } else if (term instanceof Or(List<Expr> inner)) {
                kept.addAll(inner);
            } else {
                kept.add(term);
            }
        }
        return kept.isEmpty() ? FALSE : kept.size() == 1 ? kept.getFirst() : new Or(List.copyOf(kept));
    }

    static Expr not(Expr term) {
        return switch (term) {
            case Const(boolean value) -> value ? FALSE : TRUE;
            case Not(Expr inner) -> inner;
            default -> new Not(term);
        };
    }
}
