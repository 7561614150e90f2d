package io.stupiddb.segments.service.codec;

import java.util.Arrays;

/**
 * The keys of one map of an NDJSON line, as byte ranges of the line, to refuse a duplicate without
 * making a String per key ({@link KeySet} holds Strings, which Jackson's path has anyway): an
 * open-addressing hash set of (offset, length) that compares the bytes, cleared by forgetting only
 * the slots it used, so one set per nesting level serves every map of a request. Two keys without
 * escapes are the same name exactly when their UTF-8 bytes are equal. Grows at half full. Not
 * thread-safe (one per request).
 */
final class LineKeySet {
    /** Entry index + 1 per slot; 0 is an empty slot. */
    private int[] table = new int[16];
    /** Per entry: where its key is in the line, its length, its hash and its slot. */
    private int[] offsets = new int[8];

    private int[] lengths = new int[8];
    private int[] hashes = new int[8];
    private int[] slots = new int[8];
    private int size;

    /** Adds the key {@code line[off, off + len)}; false when the set already holds the same bytes. */
    boolean add(byte[] line, int off, int len) {
        if (2 * (size + 1) > table.length) {
            grow();
        }
        int hash = hash(line, off, len);
        int mask = table.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            int entry = table[i] - 1;
            if (entry < 0) {
                if (size == offsets.length) {
                    int n = 2 * size;
                    offsets = Arrays.copyOf(offsets, n);
                    lengths = Arrays.copyOf(lengths, n);
                    hashes = Arrays.copyOf(hashes, n);
                    slots = Arrays.copyOf(slots, n);
                }
                offsets[size] = off;
                lengths[size] = len;
                hashes[size] = hash;
                slots[size] = i;
                table[i] = ++size;
                return true;
            }
            if (hashes[entry] == hash
                    && lengths[entry] == len
                    && Arrays.equals(line, offsets[entry], offsets[entry] + len, line, off, off + len)) {
                return false;
            }
        }
    }

    /** Empties the set, touching only the slots in use. */
    void clear() {
        for (int e = 0; e < size; e++) {
            table[slots[e]] = 0;
        }
        size = 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        table = new int[2 * table.length];
        int mask = table.length - 1;
        for (int e = 0; e < size; e++) {
            int i = spread(hashes[e]) & mask;
            while (table[i] != 0) {
                i = (i + 1) & mask;
            }
            table[i] = e + 1;
            slots[e] = i;
        }
    }

    /**
     * A hash of the key from at most two words of it (its first and last eight bytes), not a loop
     * over its bytes: a byte loop ran several times slower in some JVMs than in others (see
     * {@link LineReader#indexOfNewline}), and keys that agree in both words are rare and still
     * told apart by their bytes.
     */
    private static int hash(byte[] b, int off, int len) {
        long word;
        if (len >= Long.BYTES) {
            word = ByteWords.get(b, off) * 31 + ByteWords.get(b, off + len - Long.BYTES);
        } else if (len == 0) {
            word = 0;
        } else if (b.length - off >= Long.BYTES) {
            word = ByteWords.get(b, off) & (-1L >>> (Long.SIZE - 8 * len)); // its len bytes, the lowest
        } else {
            word = 0;
            for (int i = off + len - 1; i >= off; i--) {
                word = word << 8 | (b[i] & 0xff);
            }
        }
        long h = (word + len) * 0x9E3779B97F4A7C15L; // Fibonacci hashing: the high bits mix all of it
        return (int) (h >>> 32);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
