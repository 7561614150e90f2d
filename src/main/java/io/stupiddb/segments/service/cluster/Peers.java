package io.stupiddb.segments.service.cluster;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The nodes of the cluster ({@code segments.cluster.peers}: {@code 0=http://a:8080,1=http://b:8080}),
 * this node among them or not. Empty: a single node. Immutable.
 */
public record Peers(int self, SortedMap<Integer, URI> nodes) {

    public Peers {
        nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
    }

    /**
     * Parses the setting; null or blank means a single node.
     *
     * @throws IllegalArgumentException naming {@code segments.cluster.peers} and what is wrong
     */
    public static Peers parse(int self, String text) {
        TreeMap<Integer, URI> nodes = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return new Peers(self, nodes);
        }
        for (String entry : text.split(",")) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            int equals = item.indexOf('=');
            if (equals <= 0) {
                throw invalid("'" + item + "' is not node-id=base-url");
            }
            int id;
            try {
                id = Integer.parseInt(item.substring(0, equals).strip());
            } catch (NumberFormatException e) {
                throw invalid("'" + item.substring(0, equals) + "' is not a node id");
            }
            if (id < 0 || id > 1023) {
                throw invalid("node id " + id + " is outside 0-1023");
            }
            URI uri;
            try {
                uri = URI.create(item.substring(equals + 1).strip().replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw invalid("'" + item + "' has no valid URL: " + e.getMessage());
            }
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw invalid("'" + item + "' needs an http:// or https:// base URL");
            }
            if (nodes.put(id, uri) != null) {
                throw invalid("node " + id + " is listed twice");
            }
        }
        return new Peers(self, nodes);
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("segments.cluster.peers: " + problem
                + " (expected e.g. 0=http://segment-store-0.segment-store-headless:8080,1=http://…)");
    }

    /** Whether other nodes exist: scans fan out and gets may be forwarded. */
    public boolean clustered() {
        return nodes.keySet().stream().anyMatch(id -> id != self);
    }

    /** Every node id of the cluster, this one included. */
    public java.util.SortedSet<Integer> all() {
        TreeMap<Integer, URI> all = new TreeMap<>(nodes);
        all.putIfAbsent(self, null);
        return Collections.unmodifiableSortedSet(new java.util.TreeSet<>(all.keySet()));
    }

    public URI uri(int node) {
        return nodes.get(node);
    }

    public Map<Integer, URI> others() {
        TreeMap<Integer, URI> others = new TreeMap<>(nodes);
        others.remove(self);
        return others;
    }
}
