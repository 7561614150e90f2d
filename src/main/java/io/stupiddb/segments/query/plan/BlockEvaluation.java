package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.format.column.BlockColumns;
import io.stupiddb.segments.format.column.ColumnBlock;
import io.stupiddb.segments.format.column.ColumnKind;
import io.stupiddb.segments.format.column.RowSet;

import java.util.List;

/**
 * One evaluation of a {@link PlanExpr} over one block: Kleene's three-valued logic on two bitsets
 * per node, {@code yes} (rows where the node is certainly true) and {@code no} (certainly false);
 * the rest are unknown. And: yes = ∩ yes, no = ∪ no; Or: the dual; Not: swap. This is sound for
 * any leaf answers that are themselves certain, because each row's real value is a plain boolean
 * the unknowns could take either way.
 *
 * <p>Leaves look at the column of their path (fetched and verified once per path per block):
 * kind bitmaps first, then block statistics (min/max, bloom, dictionary), and only when those
 * cannot decide, the rows' values. A path without a column leaves every row unknown.
 *
 * <p>Care sets: each node is evaluated with the rows whose answer still matters to its parent;
 * an And stops caring about rows an earlier term made false, an Or about rows already true, so
 * in {@code level == "error" AND status >= 500} only the error rows' statuses are read. A node's
 * answer is exact (sound) on its care rows and arbitrary elsewhere: the parent's answer on those
 * rows is already fixed by another term, so it cannot change. The root cares about every row.
 *
 * <p>Not thread-safe: one instance per block evaluation.
 */
final class BlockEvaluation {

    private static final ColumnKind[] KINDS = ColumnKind.values();

    private final BlockColumns block;
    private final List<io.stupiddb.segments.format.column.ColumnPath> paths;
    private final ColumnBlock[] columns;
    private final boolean[] fetched;
    private final int rows;
    private final RowSet kindRows;

    BlockEvaluation(BlockColumns block, List<io.stupiddb.segments.format.column.ColumnPath> paths) {
        this.block = block;
        this.paths = paths;
        this.columns = new ColumnBlock[paths.size()];
        this.fetched = new boolean[paths.size()];
        this.rows = block.rows();
        this.kindRows = RowSet.empty(rows);
    }

    /** A node's answer: {@code yes} and {@code no} are disjoint. */
    record Tri(RowSet yes, RowSet no) {}

    /** Evaluates the whole tree for every row. */
    Tri eval(PlanExpr expr) {
        return eval(expr, RowSet.full(rows));
    }

    /** Evaluates {@code expr}, exactly on the rows of {@code care} (not modified). */
    private Tri eval(PlanExpr expr, RowSet care) {
        return switch (expr) {
            case PlanExpr.Const(boolean value) ->
                value ? new Tri(RowSet.full(rows), RowSet.empty(rows)) : new Tri(RowSet.empty(rows), RowSet.full(rows));
            case PlanExpr.Not(PlanExpr term) -> {
                Tri inner = eval(term, care);
                yield new Tri(inner.no(), inner.yes());
            }
            case PlanExpr.And(List<PlanExpr> terms) -> {
                Tri result = new Tri(RowSet.full(rows), RowSet.empty(rows));
                RowSet open = care.copy();
                for (PlanExpr term : terms) {
                    Tri t = eval(term, open);
                    result.yes().and(t.yes());
                    result.no().or(t.no());
                    open.andNot(t.no());
                    if (open.isEmpty()) {
                        break; // every cared-for row is already false
                    }
                }
                yield result;
            }
            case PlanExpr.Or(List<PlanExpr> terms) -> {
                Tri result = new Tri(RowSet.empty(rows), RowSet.full(rows));
                RowSet open = care.copy();
                for (PlanExpr term : terms) {
                    Tri t = eval(term, open);
                    result.yes().or(t.yes());
                    result.no().and(t.no());
                    open.andNot(t.yes());
                    if (open.isEmpty()) {
                        break; // every cared-for row is already true
                    }
                }
                yield result;
            }
            case PlanExpr.Exists(int slot, var path) -> exists(column(slot));
            case PlanExpr.Holds(int slot, var path, PlanTest test) -> holds(column(slot), test, care);
        };
    }

    private ColumnBlock column(int slot) {
        if (!fetched[slot]) {
            ColumnBlock column = block.column(paths.get(slot));
            if (column != null && column.rows() != rows) {
                throw new IllegalArgumentException(
                        "column " + paths.get(slot) + " has " + column.rows() + " rows in a block of " + rows);
            }
            columns[slot] = column;
            fetched[slot] = true;
        }
        return columns[slot];
    }

    private Tri exists(ColumnBlock column) {
        RowSet yes = RowSet.empty(rows);
        RowSet no = RowSet.empty(rows);
        if (column == null) {
            return new Tri(yes, no);
        }
        column.rowsOf(ColumnKind.MISSING, no);
        column.rowsOf(ColumnKind.OTHER, kindRows);
        yes.fill();
        yes.andNot(no);
        yes.andNot(kindRows);
        return new Tri(yes, no);
    }

    private Tri holds(ColumnBlock column, PlanTest test, RowSet care) {
        RowSet yes = RowSet.empty(rows);
        RowSet no = RowSet.empty(rows);
        if (column == null) {
            return new Tri(yes, no);
        }
        int mask = column.kindMask();
        for (ColumnKind kind : KINDS) {
            if ((mask & (1 << kind.code())) == 0 || kind == ColumnKind.OTHER) {
                continue; // OTHER rows stay unknown
            }
            column.rowsOf(kind, kindRows);
            if (!kindRows.intersects(care)) {
                continue; // no row of this kind matters here
            }
            switch (kind) {
                case MISSING -> no.or(kindRows);
                case NULL -> (test.onNull() ? yes : no).or(kindRows);
                case FALSE -> (test.onBool(false) ? yes : no).or(kindRows);
                case TRUE -> (test.onBool(true) ? yes : no).or(kindRows);
                case INT -> ints(column, test.onInts(), care, yes, no);
                case FLOAT -> floats(column, test, care, yes, no);
                case STRING -> strings(column, test, care, yes, no);
                case OTHER -> throw new AssertionError();
            }
        }
        return new Tri(yes, no);
    }

    private void ints(ColumnBlock column, LongSet accepted, RowSet care, RowSet yes, RowSet no) {
        switch (accepted.classify(column.intMin(), column.intMax())) {
            case LongSet.NO_VALUE -> no.or(kindRows);
            case LongSet.ALL_VALUES -> yes.or(kindRows);
            default -> {
                for (int w = 0; w < kindRows.wordCount(); w++) {
                    long todo = kindRows.word(w) & care.word(w);
                    long passed = 0;
                    for (long left = todo; left != 0; left &= left - 1) {
                        int bit = Long.numberOfTrailingZeros(left);
                        if (accepted.contains(column.intValue((w << 6) | bit))) {
                            passed |= 1L << bit;
                        }
                    }
                    record(w, todo, passed, yes, no);
                }
            }
        }
    }

    /** Of the rows {@code todo} of word {@code w}, those in {@code passed} are true, the others false. */
    private static void record(int w, long todo, long passed, RowSet yes, RowSet no) {
        if (todo != 0) {
            yes.setWord(w, yes.word(w) | passed);
            no.setWord(w, no.word(w) | (todo & ~passed));
        }
    }

    private void floats(ColumnBlock column, PlanTest test, RowSet care, RowSet yes, RowSet no) {
        switch (test.onDoubles(column.floatMin(), column.floatMax())) {
            case PlanTest.NONE -> no.or(kindRows);
            case PlanTest.ALL -> yes.or(kindRows);
            default -> {
                for (int w = 0; w < kindRows.wordCount(); w++) {
                    long todo = kindRows.word(w) & care.word(w);
                    long passed = 0;
                    for (long left = todo; left != 0; left &= left - 1) {
                        int bit = Long.numberOfTrailingZeros(left);
                        if (test.onDouble(column.floatValue((w << 6) | bit))) {
                            passed |= 1L << bit;
                        }
                    }
                    record(w, todo, passed, yes, no);
                }
            }
        }
    }

    private void strings(ColumnBlock column, PlanTest test, RowSet care, RowSet yes, RowSet no) {
        if (column.stringEncoding() == ColumnBlock.STRINGS_BLOOM) {
            switch (test.onBloom(column)) {
                case PlanTest.NONE -> no.or(kindRows);
                case PlanTest.ALL -> yes.or(kindRows);
                default -> {
                    // maybe: the strings are not stored, their documents decide
                }
            }
            return;
        }
        int entries = column.dictionarySize();
        long[] accepted = new long[(entries + 63) >>> 6];
        int count = 0;
        for (int code = 0; code < entries; code++) {
            if (test.onEntry(column, code)) {
                accepted[code >>> 6] |= 1L << code;
                count++;
            }
        }
        if (count == 0) {
            no.or(kindRows);
        } else if (count == entries) {
            yes.or(kindRows);
        } else {
            for (int w = 0; w < kindRows.wordCount(); w++) {
                long todo = kindRows.word(w) & care.word(w);
                long passed = 0;
                for (long left = todo; left != 0; left &= left - 1) {
                    int bit = Long.numberOfTrailingZeros(left);
                    int code = column.code((w << 6) | bit);
                    passed |= ((accepted[code >>> 6] >>> code) & 1L) << bit;
                }
                record(w, todo, passed, yes, no);
            }
        }
    }
}
