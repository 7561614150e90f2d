package io.stupiddb.segments.format;

import java.util.Arrays;

/**
 * Values looked up by a run of bytes where it lies ({@code bytes[offset, offset + length)}), with no
 * key object made and nothing copied to look: for names that documents repeat (MessagePack map keys
 * of a request body, the paths a compaction meets), read straight out of the buffer that holds
 * them. Open addressing with linear probing; grows at half full. Not thread-safe.
 *
 * @param <V> the value kept per key
 */
public final class ByteKeyedTable<V> {
    private byte[][] keys;
    private Object[] values;
    private int size;

    /** Room for {@code capacity / 2} keys before the first growth; {@code capacity} a power of two. */
    public ByteKeyedTable(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2: " + capacity);
        }
        keys = new byte[capacity][];
        values = new Object[capacity];
    }

    /** The value of the key {@code bytes[offset, offset + length)}, or null. */
    @SuppressWarnings("unchecked")
    public V get(byte[] bytes, int offset, int length) {
        int mask = keys.length - 1;
        for (int i = hash(bytes, offset, length) & mask; ; i = (i + 1) & mask) {
            byte[] key = keys[i];
            if (key == null) {
                return null;
            }
            if (key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length)) {
                return (V) values[i];
            }
        }
    }

    /** Adds the key {@code bytes[offset, offset + length)} (copied), which must not be in the table. */
    public void put(byte[] bytes, int offset, int length, V value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(Arrays.copyOfRange(bytes, offset, offset + length), value);
    }

    /** Keys held. */
    public int size() {
        return size;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        Object[] oldValues = values;
        keys = new byte[2 * oldKeys.length][];
        values = new Object[2 * oldKeys.length];
        size = 0;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                insert(oldKeys[j], oldValues[j]);
            }
        }
    }

    private void insert(byte[] key, Object value) {
        int mask = keys.length - 1;
        int i = hash(key, 0, key.length) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    private static int hash(byte[] b, int offset, int length) {
        int h = length;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
