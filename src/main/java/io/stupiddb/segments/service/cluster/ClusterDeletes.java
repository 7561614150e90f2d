package io.stupiddb.segments.service.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.store.DeleteResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A delete by filter on every node (SPEC §11): this node's store, and each peer asked to delete
 * from its own data. Before anything is deleted every peer is pinged: when one does not answer
 * and {@code partial} is not set, the delete is refused ({@link PeerUnavailableException}, 503)
 * with nothing deleted anywhere. A peer that fails after the ping fails the request too (unless
 * {@code partial}), naming the nodes that did delete: a retry is safe, since a delete finds
 * nothing it already deleted. Thread-safe (stateless beyond its injected beans).
 */
@ApplicationScoped
public class ClusterDeletes {
    static final String PATH = "/api/v1/documents/delete";
    private final StoreService service;
    private final PeerClient peers;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public ClusterDeletes(StoreService service, PeerClient peers) {
        this.service = service;
        this.peers = peers;
    }

    /**
     * What each node deleted, by node id, and the nodes left out (only with {@code partial}).
     *
     * @param nodes node id → its result
     */
    public record Outcome(Map<Integer, DeleteResult> nodes, List<Integer> missing) {
        public Outcome {
            nodes = Map.copyOf(nodes);
            missing = List.copyOf(missing);
        }

        public long deleted() {
            return nodes.values().stream().mapToLong(DeleteResult::deleted).sum();
        }
    }

    /** Deletes on this node only (a forwarded request, or a single node), or on every node. */
    public Outcome delete(DeleteRequest request, boolean forwarded) throws IOException {
        Map<Integer, DeleteResult> results = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        List<Integer> others =
                forwarded ? List.of() : List.copyOf(peers.peers().others().keySet());
        for (int node : others) {
            try {
                peers.forward(node, "/api/v1/ping", "application/json");
            } catch (PeerUnavailableException e) {
                missing.add(node);
            }
        }
        if (!missing.isEmpty() && !request.partial()) {
            throw new PeerUnavailableException(
                    missing,
                    "node(s) " + missing + " did not answer; nothing was deleted (retry, or send partial=true to"
                            + " delete on the nodes that answer)");
        }
        results.put(peers.peers().self(), service.store().delete(request.spec()));
        String body = request.peerBody();
        for (int node : others) {
            if (missing.contains(node)) {
                continue;
            }
            try {
                results.put(node, parse(peers.post(node, PATH, body).body()));
            } catch (PeerUnavailableException | IOException e) {
                if (!request.partial()) {
                    throw new PeerUnavailableException(
                            List.of(node),
                            "node " + node + " failed during the delete (" + e.getMessage() + "); nodes "
                                    + results.keySet() + " deleted " + new Outcome(results, List.of()).deleted()
                                    + " documents. Retry: a delete finds nothing it already deleted");
                }
                missing.add(node);
            }
        }
        return new Outcome(results, missing);
    }

    /** A peer's local answer: {@code {"deleted":n,"segments":[{"segment","documents"}]}}. */
    private DeleteResult parse(byte[] body) throws IOException {
        JsonNode answer = json.readTree(body);
        List<DeleteResult.SegmentDeletion> segments = new ArrayList<>();
        for (JsonNode segment : answer.path("segments")) {
            segments.add(new DeleteResult.SegmentDeletion(
                    segment.path("segment").asText(), segment.path("documents").asLong()));
        }
        return new DeleteResult(answer.path("deleted").asLong(), segments);
    }
}
