package io.stupiddb.segments.service.cluster;

import java.util.List;

/** Nodes that did not answer (or are not known): 503 with Retry-After, never a false 404. */
public final class PeerUnavailableException extends RuntimeException {
    private final List<Integer> nodes;

    public PeerUnavailableException(List<Integer> nodes, String message) {
        super(message);
        this.nodes = List.copyOf(nodes);
    }

    public List<Integer> nodes() {
        return nodes;
    }
}
