package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.format.ByteKeyedTable;

import java.nio.charset.StandardCharsets;

/**
 * The names of the map keys of one body, looked up by their UTF-8 bytes where they lie in the body:
 * the documents of a batch repeat the same few names, so each distinct name becomes one String
 * (with its hash computed once, for {@link KeySet}) instead of one String per key read. A new String
 * per key was about an eighth of a MessagePack write's request-thread time (docs/BENCHMARKS.md,
 * round 5). Keeps at most {@link #MAX_NAMES} names; a body with more distinct names (maps keyed by
 * ids, say) gets a new String for each of the others, as before. Not thread-safe (one per body).
 */
final class KeyNames {
    static final int MAX_NAMES = 512;

    private final ByteKeyedTable<String> names = new ByteKeyedTable<>(32);

    /** The name whose UTF-8 bytes are {@code body[off, off + len)}, which must be valid UTF-8. */
    String name(byte[] body, int off, int len) {
        String known = names.get(body, off, len);
        if (known != null) {
            return known;
        }
        String name = new String(body, off, len, StandardCharsets.UTF_8);
        if (names.size() < MAX_NAMES) {
            names.put(body, off, len, name);
        }
        return name;
    }

    int size() {
        return names.size();
    }
}
