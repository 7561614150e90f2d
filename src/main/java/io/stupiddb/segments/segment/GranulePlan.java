package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.format.column.RowSet;
import io.stupiddb.segments.query.plan.BlockPlan;

import java.util.Optional;

/**
 * What a scan makes of one granule of a format v2 segment before reading a record of it: nothing
 * (its time range misses the scan's, or the planner says no row can match), or the rows that may
 * match ({@code candidates}) and those that certainly do ({@code certain}); both null when the
 * scan has no planner (every row is a candidate, none certain). Shared by the sequential and the
 * parallel cursor of {@link SealedSegment}, and the cold tier's cursor over an archived object.
 */
public record GranulePlan(RowSet candidates, RowSet certain) {

    /** The plan of granule {@code g} for {@code spec}; empty when no row of it can match. */
    public static Optional<GranulePlan> of(ColumnIndex columns, int g, ScanSpec spec) {
        if (!spec.overlaps(columns.minTimestamp(g), columns.maxTimestamp(g))) {
            return Optional.empty();
        }
        if (spec.planner().isEmpty()) {
            return Optional.of(new GranulePlan(null, null));
        }
        BlockPlan plan = spec.planner().get().plan(columns.group(g));
        if (plan.noneCanMatch()) {
            return Optional.empty();
        }
        RowSet candidates = plan.undecided();
        candidates.or(plan.matching());
        return Optional.of(new GranulePlan(candidates, plan.matching()));
    }

    /** Whether row {@code row} of the granule matches on its columns alone. */
    public boolean certainlyMatches(int row) {
        return certain != null && certain.contains(row);
    }
}
