package io.stupiddb.segments.service.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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

    private byte[][] bytes = new byte[32][];
    private String[] names = new String[32];
    private int size;

    /** The name whose UTF-8 bytes are {@code body[off, off + len)}, which must be valid UTF-8. */
    String name(byte[] body, int off, int len) {
        int hash = hash(body, off, len);
        int mask = bytes.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            byte[] known = bytes[i];
            if (known == null) {
                String name = new String(body, off, len, StandardCharsets.UTF_8);
                if (size < MAX_NAMES) {
                    bytes[i] = Arrays.copyOfRange(body, off, off + len);
                    names[i] = name;
                    if (2 * ++size > bytes.length) {
                        grow();
                    }
                }
                return name;
            }
            if (known.length == len && Arrays.equals(known, 0, len, body, off, off + len)) {
                return names[i];
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        byte[][] oldBytes = bytes;
        String[] oldNames = names;
        bytes = new byte[2 * oldBytes.length][];
        names = new String[2 * oldNames.length];
        int mask = bytes.length - 1;
        for (int j = 0; j < oldBytes.length; j++) {
            if (oldBytes[j] != null) {
                int i = hash(oldBytes[j], 0, oldBytes[j].length) & mask;
                while (bytes[i] != null) {
                    i = (i + 1) & mask;
                }
                bytes[i] = oldBytes[j];
                names[i] = oldNames[j];
            }
        }
    }

    private static int hash(byte[] b, int off, int len) {
        int h = len;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
