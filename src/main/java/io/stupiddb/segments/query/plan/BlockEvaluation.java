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
    record Tri(RowSet yes, RowSet no) {
    }

    Tri eval(PlanExpr expr) {
        return switch (expr) {
            case PlanExpr.Const(boolean value) -> value ? new Tri(RowSet.full(rows), RowSet.empty(rows))
                    : new Tri(RowSet.empty(rows), RowSet.full(rows));
            case PlanExpr.Not(PlanExpr term) -> {
                Tri inner = eval(term);
                yield new Tri(inner.no(), inner.yes());
            }
            case PlanExpr.And(List<PlanExpr> terms) -> {
                Tri result = new Tri(RowSet.full(rows), RowSet.empty(rows));
                for (PlanExpr term : terms) {
                    Tri t = eval(term);
                    result.yes().and(t.yes());
                    result.no().or(t.no());
                    if (result.no().isFull()) {
                        break; // the rest cannot change a false conjunction
                    }
                }
                yield result;
            }
            case PlanExpr.Or(List<PlanExpr> terms) -> {
                Tri result = new Tri(RowSet.empty(rows), RowSet.full(rows));
                for (PlanExpr term : terms) {
                    Tri t = eval(term);
                    result.yes().or(t.yes());
                    result.no().and(t.no());
                    if (result.yes().isFull()) {
                        break;
                    }
                }
                yield result;
            }
            case PlanExpr.Exists(int slot, var path) -> exists(column(slot));
            case PlanExpr.Holds(int slot, var path, PlanTest test) -> holds(column(slot), test);
        };
    }

    private ColumnBlock column(int slot) {
        if (!fetched[slot]) {
            ColumnBlock column = block.column(paths.get(slot));
            if (column != null && column.rows() != rows) {
                throw new IllegalArgumentException("column " + paths.get(slot) + " has " + column.rows()
                        + " rows in a block of " + rows);
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

    private Tri holds(ColumnBlock column, PlanTest test) {
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
            switch (kind) {
                case MISSING -> no.or(kindRows);
                case NULL -> (test.onNull() ? yes : no).or(kindRows);
                case FALSE -> (test.onBool(false) ? yes : no).or(kindRows);
                case TRUE -> (test.onBool(true) ? yes : no).or(kindRows);
                case INT -> ints(column, test.onInts(), yes, no);
                case FLOAT -> floats(column, test, yes, no);
                case STRING -> strings(column, test, yes, no);
                case OTHER -> throw new AssertionError();
            }
        }
        return new Tri(yes, no);
    }

    private void ints(ColumnBlock column, LongSet accepted, RowSet yes, RowSet no) {
        switch (accepted.classify(column.intMin(), column.intMax())) {
            case LongSet.NO_VALUE -> no.or(kindRows);
            case LongSet.ALL_VALUES -> yes.or(kindRows);
            default -> {
                for (int r = kindRows.next(0); r >= 0; r = kindRows.next(r + 1)) {
                    if (accepted.contains(column.intValue(r))) {
                        yes.add(r);
                    } else {
                        no.add(r);
                    }
                }
            }
        }
    }

    private void floats(ColumnBlock column, PlanTest test, RowSet yes, RowSet no) {
        switch (test.onDoubles(column.floatMin(), column.floatMax())) {
            case PlanTest.NONE -> no.or(kindRows);
            case PlanTest.ALL -> yes.or(kindRows);
            default -> {
                for (int r = kindRows.next(0); r >= 0; r = kindRows.next(r + 1)) {
                    if (test.onDouble(column.floatValue(r))) {
                        yes.add(r);
                    } else {
                        no.add(r);
                    }
                }
            }
        }
    }

    private void strings(ColumnBlock column, PlanTest test, RowSet yes, RowSet no) {
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
            for (int r = kindRows.next(0); r >= 0; r = kindRows.next(r + 1)) {
                int code = column.code(r);
                if ((accepted[code >>> 6] & (1L << code)) != 0) {
                    yes.add(r);
                } else {
                    no.add(r);
                }
            }
        }
    }
}
