package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.format.column.RowSet;

/**
 * What the columns of one block say about a filter, row by row: a partition of the block's rows
 * into those that certainly match, those that certainly do not, and those the columns cannot
 * decide, which must be tested on their documents ({@code Filter.matches}).
 *
 * <p>Invariant: the three sets are disjoint and together hold every row of the block. The sets
 * are the caller's to keep or modify (each plan has its own).
 *
 * @param matching    rows that match whatever their documents hold outside the columns
 * @param notMatching rows that cannot match
 * @param undecided   rows to evaluate on the document
 */
public record BlockPlan(RowSet matching, RowSet notMatching, RowSet undecided) {

    /** True when no row of the block can match: the scan skips the block without reading a document. */
    public boolean noneCanMatch() {
        return matching.isEmpty() && undecided.isEmpty();
    }

    /** True when every row matches without reading a document. */
    public boolean allMatch() {
        return matching.isFull();
    }

    public int rows() {
        return matching.size();
    }
}
