package io.stupiddb.segments.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.segment.SegmentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every node's segments in one list ({@code GET /segments?scope=cluster}, SPEC §9): this node's,
 * and each peer's own list asked for in turn, oldest first. A peer that does not answer fails the
 * listing ({@link PeerUnavailableException}), or with {@code partial} is named under
 * {@code missing}. Thread-safe (stateless beyond its injected beans).
 */
@ApplicationScoped
public class ClusterSegments {
    private final PeerClient peers;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public ClusterSegments(PeerClient peers) {
        this.peers = peers;
    }

    /** The segments of every answering node, in the API's JSON shape, and the nodes left out. */
    public record Listing(List<JsonNode> segments, List<Integer> missing) {
        public Listing {
            segments = List.copyOf(segments);
            missing = List.copyOf(missing);
        }
    }

    /**
     * {@code local} (this node's segments as the API shows them) with every peer's, in the state
     * asked for, ordered by creation time, then id.
     */
    public Listing list(List<JsonNode> local, Optional<SegmentState> state, boolean partial) {
        List<JsonNode> all = new ArrayList<>(local);
        List<Integer> missing = new ArrayList<>();
        for (int node : peers.peers().others().keySet()) {
            try {
                var response = peers.forward(
                        node, "/api/v1/segments" + state.map(s -> "?state=" + s).orElse(""), "application/json");
                json.readTree(response.body()).path("segments").forEach(all::add);
            } catch (PeerUnavailableException | IOException e) {
                if (!partial) {
                    throw new PeerUnavailableException(
                            List.of(node),
                            "node " + node + " did not list its segments (retry, or ask with partial=true)");
                }
                missing.add(node);
            }
        }
        all.sort(Comparator.comparing((JsonNode s) -> s.path("createdAt").asText())
                .thenComparing(s -> s.path("id").asText()));
        return new Listing(all, missing);
    }
}
