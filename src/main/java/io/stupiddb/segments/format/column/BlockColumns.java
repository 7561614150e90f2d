package io.stupiddb.segments.format.column;

/**
 * The columns of one block of rows, as the planner sees them: a column per indexed path, or none.
 * {@link ColumnGroup} is the on-disk implementation; tests may provide others.
 */
public interface BlockColumns {

    /** Rows in the block; every column has exactly this many. */
    int rows();

    /** The column for {@code path}, or null when the path is not stored as a column. */
    ColumnBlock column(ColumnPath path);
}
