package io.stupiddb.segments.query;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of the trie of field paths a filter reads: {@code "http.status"} and {@code "http.path"}
 * share the node {@code http}. The document walk descends into a map only when the trie has a node
 * for its key, and skips every other value unread.
 *
 * <p>Invariant: {@code slot >= 0} exactly when a referenced path ends here, and then {@code atoms}
 * are the tests on that path; the root has an empty name and never ends a path. Depth is at most
 * the filter's path segment limit. Immutable and thread-safe once built.
 */
final class PathNode {

    private static final PathNode[] NO_CHILDREN = new PathNode[0];
    private static final Atom[] NO_ATOMS = new Atom[0];

    final String name;
    final byte[] utf8;
    final int slot;
    final Atom[] atoms;
    final PathNode[] children;

    private PathNode(String name, int slot, Atom[] atoms, PathNode[] children) {
        this.name = name;
        this.utf8 = name.getBytes(StandardCharsets.UTF_8);
        this.slot = slot;
        this.atoms = atoms;
        this.children = children;
    }

    boolean hasChildren() {
        return children.length > 0;
    }

    /** The child whose name is the UTF-8 key {@code buffer[offset, offset + length)}, or null. */
    PathNode child(ByteBuffer buffer, int offset, int length) {
        for (PathNode child : children) {
            if (Compare.utf8Equals(buffer, offset, length, child.utf8)) {
                return child;
            }
        }
        return null;
    }

    /** Collects paths and their atoms into a trie. Not thread-safe; used once per parse. */
    static final class Builder {
        private final String name;
        private final Map<String, Builder> children = new LinkedHashMap<>();
        private final List<Atom> atoms = new ArrayList<>();
        private int slot = -1;

        Builder() {
            this("");
        }

        private Builder(String name) {
            this.name = name;
        }

        /** Registers {@code path} (already validated: non-empty dot-separated segments). */
        Builder path(String path, int slotOfPath) {
            Builder node = this;
            for (String segment : path.split("\\.", -1)) {
                node = node.children.computeIfAbsent(segment, Builder::new);
            }
            node.slot = slotOfPath;
            return node;
        }

        void atom(Atom atom) {
            path(atom.path(), atom.slot()).atoms.add(atom);
        }

        PathNode build() {
            PathNode[] built = children.isEmpty()
                    ? NO_CHILDREN
                    : children.values().stream().map(Builder::build).toArray(PathNode[]::new);
            return new PathNode(name, slot, atoms.isEmpty() ? NO_ATOMS : atoms.toArray(Atom[]::new), built);
        }
    }
}
