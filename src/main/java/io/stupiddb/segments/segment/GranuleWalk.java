package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.column.ColumnIndex;

/**
 * A scan's walk over the rows of a format v2 segment, granule by granule: each granule is planned
 * ({@link GranulePlan}) when the walk enters it, rows it rules out are skipped without being
 * read, and the rows that certainly match are known. Shared by the sequential cursor of
 * {@link SealedSegment} and the cold tier's cursor over an archived object, which read their
 * records differently but must skip exactly the same ones.
 *
 * <p>Not thread-safe: one per cursor.
 */
public final class GranuleWalk {
    private final ColumnIndex columns;
    private final ScanSpec spec;
    private final long documents;
    /** The granule planned last; -1 before the first. */
    private int granule = -1;
    /** Its plan; null when nothing in it can match. */
    private GranulePlan plan;

    public GranuleWalk(ColumnIndex columns, ScanSpec spec, long documents) {
        this.columns = columns;
        this.spec = spec;
        this.documents = documents;
    }

    /**
     * The first row at or after {@code next} that may match (planning the granules it enters);
     * {@code documents} when none is left.
     */
    public long candidate(long next) {
        long at = next;
        while (at < documents) {
            int g = (int) (at / columns.granuleRows());
            if (g != granule) {
                granule = g;
                plan = GranulePlan.of(columns, g, spec).orElse(null);
            }
            if (plan != null) {
                if (plan.candidates() == null) {
                    return at;
                }
                int row = plan.candidates().next((int) (at - columns.firstOrdinal(g)));
                if (row >= 0) {
                    return columns.firstOrdinal(g) + row;
                }
            }
            at = Math.min(documents, columns.firstOrdinal(g) + columns.rows(g)); // nothing (more) in this granule
        }
        return documents;
    }

    /** Whether row {@code ordinal}, the last {@link #candidate} returned, matches on its columns alone. */
    public boolean certainlyMatches(long ordinal) {
        return plan != null && plan.certainlyMatches((int) (ordinal - columns.firstOrdinal(granule)));
    }
}
