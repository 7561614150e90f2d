package io.stupiddb.segments.service.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.TimeBounds;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.segment.ScanSpec;

import java.util.Optional;

/**
 * A validated delete by filter (SPEC §11), as every node of a cluster carries it out: the time
 * bounds, the filter and its JSON text (passed on to peers; empty when {@code all} deletes
 * everything in the range), and whether the cluster may leave out nodes that do not answer.
 * Immutable.
 */
public record DeleteRequest(
        TimeBounds bounds, Filter filter, Optional<String> filterJson, boolean all, boolean partial) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What this node's store deletes. */
    public ScanSpec spec() {
        if (filter.isMatchAll()) {
            return new ScanSpec(bounds.from(), bounds.to(), null, RecordFilter.ALL);
        }
        // The filter compiled for the column index too: on v2 segments only rows that can match are read.
        return new ScanSpec(bounds.from(), bounds.to(), null, filter::matches, filterJson.map(BlockPlanner::compile));
    }

    /** The body a peer gets: the same filter and bounds (epoch ms), answered from its own data. */
    String peerBody() {
        ObjectNode body = JSON.createObjectNode();
        if (filterJson.isPresent()) {
            try {
                body.set("filter", JSON.readTree(filterJson.get()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a validated filter is JSON", e);
            }
        }
        if (bounds.from() != TimeBounds.UNBOUNDED_FROM) {
            body.put("from", Long.toString(bounds.from()));
        }
        if (bounds.to() != TimeBounds.UNBOUNDED_TO) {
            body.put("to", Long.toString(bounds.to()));
        }
        if (all) {
            body.put("all", true);
        }
        return body.toString();
    }
}
