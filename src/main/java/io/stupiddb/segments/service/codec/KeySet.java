package io.stupiddb.segments.service.codec;

import java.util.Arrays;

/**
 * The keys of one map being decoded, to refuse a duplicate: an open-addressing hash set of Strings
 * that allocates nothing per key and is cleared by forgetting only the slots it used, so one set per
 * nesting level serves every map of a batch (a HashSet allocated a node per key: a third of the
 * decoder's allocations in a profile). Grows at half full. Not thread-safe (one per decode call).
 */
final class KeySet {
    private String[] table = new String[16];
    private int[] used = new int[8];
    private int size;

    /** Adds {@code key}; false when the set already holds an equal key. */
    boolean add(String key) {
        if (2 * (size + 1) > table.length) {
            grow();
        }
        int mask = table.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            String k = table[i];
            if (k == null) {
                table[i] = key;
                if (size == used.length) {
                    used = Arrays.copyOf(used, 2 * size);
                }
                used[size++] = i;
                return true;
            }
            if (k == key || k.equals(key)) { // parsers usually hand out the same instance per name
                return false;
            }
        }
    }

    /** Empties the set, touching only the slots in use. */
    void clear() {
        for (int i = 0; i < size; i++) {
            table[used[i]] = null;
        }
        size = 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        String[] old = table;
        int[] oldUsed = used;
        int n = size;
        table = new String[2 * old.length];
        used = new int[Math.max(8, 2 * n)];
        size = 0;
        for (int i = 0; i < n; i++) {
            add(old[oldUsed[i]]);
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
