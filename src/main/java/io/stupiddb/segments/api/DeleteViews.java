package io.stupiddb.segments.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stupiddb.segments.service.cluster.ClusterDeletes;
import io.stupiddb.segments.store.DeleteResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON answers of {@code POST /api/v1/documents/delete} (SPEC §11). Immutable records. */
final class DeleteViews {
    private DeleteViews() {}

    @RegisterForReflection
    @Schema(description = "Documents deleted from one segment")
    record SegmentDeleted(
            @Schema(required = true, description = ApiSchemas.SEGMENT_ID)
            String segment,

            @Schema(required = true) long documents) {}

    @RegisterForReflection
    @Schema(description = "What one node deleted")
    record NodeDeleted(
            @Schema(required = true) int node,
            @Schema(required = true) long deleted,
            @Schema(required = true) List<SegmentDeleted> segments) {}

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(
            description = "What was deleted: hidden from gets and scans now, journaled as DOCUMENTS_DELETED; the"
                    + " space comes back when the segments are rewritten")
    record Deleted(
            @Schema(required = true, description = "Documents deleted (on every node that answered)")
            long deleted,

            @Schema(required = true, description = "Per affected segment, oldest first (node by node in a cluster)")
            List<SegmentDeleted> segments,

            @Schema(description = "Cluster only: per node") List<NodeDeleted> nodes,

            @Schema(description = "Cluster, partial=true: true when nodes were left out")
            Boolean partial,

            @Schema(description = "Cluster, partial=true: the nodes left out")
            List<Integer> missing) {

        /** This node's answer (a single node, or a peer asked by another node). */
        static Deleted local(DeleteResult result) {
            return new Deleted(result.deleted(), segments(result), null, null, null);
        }

        static Deleted cluster(ClusterDeletes.Outcome outcome) {
            List<SegmentDeleted> segments = new ArrayList<>();
            List<NodeDeleted> nodes = new ArrayList<>();
            for (Map.Entry<Integer, DeleteResult> node : new java.util.TreeMap<>(outcome.nodes()).entrySet()) {
                segments.addAll(segments(node.getValue()));
                nodes.add(new NodeDeleted(node.getKey(), node.getValue().deleted(), segments(node.getValue())));
            }
            boolean partial = !outcome.missing().isEmpty();
            return new Deleted(
                    outcome.deleted(), segments, nodes, partial ? true : null, partial ? outcome.missing() : null);
        }

        private static List<SegmentDeleted> segments(DeleteResult result) {
            return result.segments().stream()
                    .map(s -> new SegmentDeleted(s.segment(), s.documents()))
                    .toList();
        }
    }
}
