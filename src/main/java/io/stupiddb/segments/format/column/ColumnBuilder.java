package io.stupiddb.segments.format.column;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Collects one column's values for the rows of one block, in row order, and encodes them as a
 * {@link ColumnBlock} (the byte layout is documented there).
 *
 * <p>Mutable and not thread-safe; one builder per column per block being written.
 */
public final class ColumnBuilder {

    private int rows;
    private byte[] kinds;
    private long[] ints;
    private double[] floats;
    private byte[][] strings;

    public ColumnBuilder() {
        this(64);
    }

    /** Room for {@code capacity} rows before growing (a writer knows its block's rows). */
    public ColumnBuilder(int capacity) {
        int n = Math.clamp(capacity, 1, ColumnBlock.MAX_ROWS);
        kinds = new byte[n];
        ints = new long[n];
        floats = new double[n];
        strings = new byte[n][];
    }

    public int rows() {
        return rows;
    }

    public void addMissing() {
        next(ColumnKind.MISSING);
    }

    public void addNull() {
        next(ColumnKind.NULL);
    }

    public void addBoolean(boolean value) {
        next(value ? ColumnKind.TRUE : ColumnKind.FALSE);
    }

    public void addInt(long value) {
        grow();
        ints[rows] = value;
        next(ColumnKind.INT);
    }

    /** NaN compares with nothing, so it is recorded as OTHER (ask the document). */
    public void addFloat(double value) {
        if (Double.isNaN(value)) {
            addOther();
            return;
        }
        grow();
        floats[rows] = value;
        next(ColumnKind.FLOAT);
    }

    public void addString(byte[] utf8) {
        addOwnedString(utf8.clone());
    }

    /** A string whose array no one changes (a {@link FieldValues} value): kept, not copied. */
    private void addOwnedString(byte[] utf8) {
        grow();
        strings[rows] = utf8;
        next(ColumnKind.STRING);
    }

    public void addOther() {
        next(ColumnKind.OTHER);
    }

    /** Adds what a document holds at {@code path} (see {@link FieldValues}). */
    public void add(FieldValues document, ColumnPath path) {
        FieldValues.Value value = document.resolve(path);
        switch (value.kind()) {
            case MISSING -> addMissing();
            case NULL -> addNull();
            case FALSE -> addBoolean(false);
            case TRUE -> addBoolean(true);
            case INT -> addInt(value.bits);
            case FLOAT -> addFloat(value.dbl);
            case STRING -> addOwnedString(value.utf8); // FieldValues is immutable once read
            case OTHER -> addOther();
        }
    }

    private void next(ColumnKind kind) {
        grow();
        kinds[rows++] = (byte) kind.code();
    }

    /** Makes room for one more row (values are stored before the kind that counts the row). */
    private void grow() {
        if (rows == ColumnBlock.MAX_ROWS) {
            throw new IllegalStateException("a block holds at most " + ColumnBlock.MAX_ROWS + " rows");
        }
        if (rows == kinds.length) {
            int capacity = Math.min(ColumnBlock.MAX_ROWS, rows * 2);
            kinds = Arrays.copyOf(kinds, capacity);
            ints = Arrays.copyOf(ints, capacity);
            floats = Arrays.copyOf(floats, capacity);
            strings = Arrays.copyOf(strings, capacity);
        }
    }

    /** Encodes the rows added so far (at least one) as a column block. */
    public byte[] encode(ColumnOptions options) {
        if (rows == 0) {
            throw new IllegalStateException("a column block needs at least one row");
        }
        int n = rows;
        int words = (n + 63) >>> 6;
        int mask = 0;
        for (int r = 0; r < n; r++) {
            mask |= 1 << kinds[r];
        }
        int highest = 31 - Integer.numberOfLeadingZeros(mask);
        boolean hasInt = (mask & (1 << ColumnKind.INT.code())) != 0;
        boolean hasFloat = (mask & (1 << ColumnKind.FLOAT.code())) != 0;
        boolean hasString = (mask & (1 << ColumnKind.STRING.code())) != 0;

        ByteSink out = new ByteSink(64 + n * 2);
        out.u32(0); // length, patched below
        out.u32(0); // CRC, patched below
        out.u8(ColumnBlock.VERSION);
        out.u8(mask);
        int encodingAt = out.size();
        out.u8(ColumnBlock.STRINGS_NONE);
        out.u8(0);
        out.u32(n);

        // Kind bitmaps: every present kind but the highest, whose rows are the rest.
        if (Integer.bitCount(mask) > 1) {
            for (int k = 0; k < highest; k++) {
                if ((mask & (1 << k)) == 0) {
                    continue;
                }
                long[] bits = new long[words];
                for (int r = 0; r < n; r++) {
                    if (kinds[r] == k) {
                        bits[r >>> 6] |= 1L << r;
                    }
                }
                for (long w : bits) {
                    out.u64(w);
                }
            }
        }
        if (hasInt) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int r = 0; r < n; r++) {
                if (kinds[r] == ColumnKind.INT.code()) {
                    min = Math.min(min, ints[r]);
                    max = Math.max(max, ints[r]);
                }
            }
            int width = ColumnBlock.widthFor(max - min);
            long[] offsets = new long[n];
            for (int r = 0; r < n; r++) {
                // Unsigned distance from min: fits in width bits even when max - min overflows a long.
                offsets[r] = kinds[r] == ColumnKind.INT.code() ? ints[r] - min : 0;
            }
            out.u64(min);
            out.u64(max);
            out.u8(width);
            pack(offsets, width, out);
        }
        if (hasFloat) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < n; r++) {
                if (kinds[r] == ColumnKind.FLOAT.code()) {
                    min = Math.min(min, floats[r]);
                    max = Math.max(max, floats[r]);
                }
            }
            out.u64(Double.doubleToRawLongBits(min));
            out.u64(Double.doubleToRawLongBits(max));
            for (int r = 0; r < n; r++) {
                out.u64(Double.doubleToRawLongBits(kinds[r] == ColumnKind.FLOAT.code() ? floats[r] : min));
            }
        }
        if (hasString) {
            Map<Utf8, Integer> distinct = new HashMap<>();
            long dictionaryBytes = 0;
            for (int r = 0; r < n; r++) {
                if (kinds[r] == ColumnKind.STRING.code() && distinct.putIfAbsent(new Utf8(strings[r]), 0) == null) {
                    dictionaryBytes += strings[r].length;
                }
            }
            if (distinct.size() <= options.maxDictionaryEntries() && dictionaryBytes <= options.maxDictionaryBytes()) {
                out.patchU8(encodingAt, ColumnBlock.STRINGS_DICTIONARY);
                writeDictionary(distinct, (int) dictionaryBytes, out);
            } else {
                out.patchU8(encodingAt, ColumnBlock.STRINGS_BLOOM);
                SplitBlockBloom bloom = SplitBlockBloom.forValues(distinct.size(), options.bloomFpp());
                for (Utf8 value : distinct.keySet()) {
                    bloom.add(XxHash64.hash(value.bytes()));
                }
                out.u32(bloom.blocks());
                out.u32(distinct.size());
                byte[] bits = new byte[bloom.blocks() * SplitBlockBloom.BLOCK_BYTES];
                bloom.writeTo(bits, 0);
                out.bytes(bits);
            }
        }
        out.patchU32(0, out.size() - ColumnBlock.PREFIX);
        out.patchU32(4, ColumnBlock.checksum(out.array(), out.size()));
        return out.toByteArray();
    }

    private void writeDictionary(Map<Utf8, Integer> distinct, int totalBytes, ByteSink out) {
        Utf8[] entries = distinct.keySet().toArray(Utf8[]::new);
        Arrays.sort(entries);
        for (int i = 0; i < entries.length; i++) {
            distinct.put(entries[i], i);
        }
        out.u32(entries.length);
        out.u32(totalBytes);
        int end = 0;
        for (Utf8 entry : entries) {
            end += entry.bytes().length;
            out.u32(end);
        }
        for (Utf8 entry : entries) {
            out.bytes(entry.bytes());
        }
        int width = ColumnBlock.widthFor(entries.length - 1);
        long[] codes = new long[rows];
        for (int r = 0; r < rows; r++) {
            codes[r] = kinds[r] == ColumnKind.STRING.code() ? distinct.get(new Utf8(strings[r])) : 0;
        }
        out.u8(width);
        pack(codes, width, out);
    }

    /** Row r's value in bits [r·w, r·w + w) of the word stream, least significant bit first. */
    private void pack(long[] values, int width, ByteSink out) {
        int words = ColumnBlock.packedWords(rows, width);
        long[] packed = new long[words];
        if (width > 0) {
            long mask = width == 64 ? -1L : (1L << width) - 1;
            for (int r = 0; r < rows; r++) {
                long v = values[r] & mask;
                long bit = (long) r * width;
                int index = (int) (bit >>> 6);
                int shift = (int) (bit & 63);
                packed[index] |= v << shift;
                if (shift + width > 64) {
                    packed[index + 1] |= v >>> (64 - shift);
                }
            }
        }
        for (long w : packed) {
            out.u64(w);
        }
    }

    /** A string's bytes as a map key, ordered by unsigned bytes (code point order for UTF-8). */
    private record Utf8(byte[] bytes) implements Comparable<Utf8> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Utf8 other && Arrays.equals(other.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Utf8 other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }
    }
}
