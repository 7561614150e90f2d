package io.stupiddb.segments.service.cluster;

import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.PageToken;
import io.stupiddb.segments.query.TimeBounds;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.segment.ScanSpec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * A validated scan or search (SPEC §2), as every node of a cluster answers it: the time bounds,
 * the filter and its JSON text (what is passed on to peers), the limit when one was given, where
 * to continue (the cursor, one position per node) and whether a cluster scan may leave out the
 * nodes that do not answer. Immutable.
 */
public record ScanRequest(
        TimeBounds bounds,
        Filter filter,
        Optional<String> filterJson,
        OptionalInt limit,
        Optional<PageToken> cursor,
        boolean partial) {

    /** The last id {@code node} returned before, or null to start from its beginning. */
    UUID after(int node) {
        return cursor.map(c -> c.after(node)).orElse(null);
    }

    /** What {@code node}'s store reads: this request from that node's position on. */
    ScanSpec spec(int node) {
        if (filter.isMatchAll()) {
            return new ScanSpec(bounds.from(), bounds.to(), after(node), RecordFilter.ALL);
        }
        // The same filter compiled for the column index: v2 segments read only the rows that can match.
        Optional<BlockPlanner> planner = filterJson.map(BlockPlanner::compile);
        return new ScanSpec(bounds.from(), bounds.to(), after(node), filter::matches, planner);
    }

    /**
     * The query a peer answers from its own data: the same bounds and filter, that node's position,
     * at most {@code peerLimit} documents.
     */
    String peerQuery(int node, OptionalInt peerLimit) {
        StringBuilder query = new StringBuilder("/api/v1/documents?");
        if (bounds.from() != TimeBounds.UNBOUNDED_FROM) {
            query.append("from=").append(bounds.from()).append('&');
        }
        if (bounds.to() != TimeBounds.UNBOUNDED_TO) {
            query.append("to=").append(bounds.to()).append('&');
        }
        filterJson.ifPresent(json -> query.append("filter=")
                .append(URLEncoder.encode(json, StandardCharsets.UTF_8))
                .append('&'));
        peerLimit.ifPresent(limit -> query.append("limit=").append(limit).append('&'));
        UUID after = after(node);
        if (after != null) {
            query.append("cursor=").append(PageToken.of(node, after).encode());
        }
        return query.toString();
    }
}
