package io.stupiddb.segments.format.column;

import java.util.Arrays;

/**
 * A set of row numbers {@code 0 <= row < size} of one block, as a plain bitset: row {@code r} is
 * bit {@code r & 63} of {@code words[r >>> 6]}.
 *
 * <p>Why not RoaringBitmap: a block has at most 65,536 and usually 8,192 rows, so a dense bitset
 * is 1 KiB, every set operation is a loop over 128 words that the JIT unrolls and vectorises,
 * and there are no containers to choose, no dependency and no per-operation allocation. Roaring
 * pays off for sparse sets over large universes, which a block is not.
 *
 * <p>Invariant: bits at or above {@code size} are always 0, so {@link #cardinality()},
 * {@link #equals} and {@link #isFull()} need no masking. Mutable and not thread-safe.
 */
public final class RowSet {

    private final int size;
    private final long[] words;

    private RowSet(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    public static RowSet empty(int size) {
        return new RowSet(size);
    }

    public static RowSet full(int size) {
        RowSet set = new RowSet(size);
        set.fill();
        return set;
    }

    public static RowSet of(int size, int... rows) {
        RowSet set = new RowSet(size);
        for (int row : rows) {
            set.add(row);
        }
        return set;
    }

    public int size() {
        return size;
    }

    /** Number of 64-bit words: {@code ceil(size / 64)}. */
    public int wordCount() {
        return words.length;
    }

    public long word(int index) {
        return words[index];
    }

    /** Sets word {@code index}; bits at or above {@link #size()} are dropped. */
    public void setWord(int index, long value) {
        words[index] = index == words.length - 1 ? value & lastMask() : value;
    }

    private long lastMask() {
        int tail = size & 63;
        return tail == 0 ? -1L : (1L << tail) - 1;
    }

    public boolean contains(int row) {
        checkRow(row);
        return (words[row >>> 6] & (1L << row)) != 0;
    }

    public void add(int row) {
        checkRow(row);
        words[row >>> 6] |= 1L << row;
    }

    public void remove(int row) {
        checkRow(row);
        words[row >>> 6] &= ~(1L << row);
    }

    private void checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
    }

    public void clear() {
        Arrays.fill(words, 0);
    }

    public void fill() {
        if (words.length > 0) {
            Arrays.fill(words, -1L);
            words[words.length - 1] = lastMask();
        }
    }

    public void copyFrom(RowSet other) {
        sameSize(other);
        System.arraycopy(other.words, 0, words, 0, words.length);
    }

    public void or(RowSet other) {
        sameSize(other);
        for (int i = 0; i < words.length; i++) {
            words[i] |= other.words[i];
        }
    }

    public void and(RowSet other) {
        sameSize(other);
        for (int i = 0; i < words.length; i++) {
            words[i] &= other.words[i];
        }
    }

    public void andNot(RowSet other) {
        sameSize(other);
        for (int i = 0; i < words.length; i++) {
            words[i] &= ~other.words[i];
        }
    }

    /** Complements within {@code [0, size)}. */
    public void flip() {
        for (int i = 0; i < words.length; i++) {
            words[i] = ~words[i];
        }
        if (words.length > 0) {
            words[words.length - 1] &= lastMask();
        }
    }

    public boolean isEmpty() {
        for (long word : words) {
            if (word != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean isFull() {
        return cardinality() == size;
    }

    public int cardinality() {
        int count = 0;
        for (long word : words) {
            count += Long.bitCount(word);
        }
        return count;
    }

    public boolean intersects(RowSet other) {
        sameSize(other);
        for (int i = 0; i < words.length; i++) {
            if ((words[i] & other.words[i]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The first row at or after {@code from} in the set, or -1. Iterate with {@code r = next(r + 1)}. */
    public int next(int from) {
        if (from >= size) {
            return -1;
        }
        int index = from >>> 6;
        long word = words[index] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (index << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++index == words.length) {
                return -1;
            }
            word = words[index];
        }
    }

    public RowSet copy() {
        RowSet copy = new RowSet(size);
        System.arraycopy(words, 0, copy.words, 0, words.length);
        return copy;
    }

    private void sameSize(RowSet other) {
        if (other.size != size) {
            throw new IllegalArgumentException("row sets of " + size + " and " + other.size + " rows");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowSet other && other.size == size && Arrays.equals(other.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * size + Arrays.hashCode(words);
    }

    /** E.g. {@code {0, 3, 7}/10}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int r = next(0); r >= 0; r = next(r + 1)) {
            text.append(text.length() > 1 ? ", " : "").append(r);
        }
        return text.append("}/").append(size).toString();
    }
}
