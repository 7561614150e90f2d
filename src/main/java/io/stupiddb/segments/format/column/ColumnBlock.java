package io.stupiddb.segments.format.column;

import io.stupiddb.segments.format.Checksums;
import io.stupiddb.segments.format.CorruptSegmentException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * One column of one block of rows (format v2): per row what kind of value the document holds at
 * the column's path, and the values themselves in a form the planner can test without reading the
 * documents. Written by {@link ColumnBuilder}; this class is a read-only view over the bytes
 * (a mapped {@link MemorySegment} or a {@link ByteBuffer}) that copies nothing.
 *
 * <pre>
 * offset  size           field
 *      0     4           body length L      u32: bytes from offset 8 to the end of the block
 *      4     4           CRC32C             over the 4 length bytes followed by the L body bytes
 *      8     1           version            1
 *      9     1           kinds              bit k set when some row is of ColumnKind k
 *                                           (MISSING 0, NULL 1, FALSE 2, TRUE 3, INT 4, FLOAT 5, STRING 6, OTHER 7)
 *     10     1           string encoding    0 none (no STRING rows), 1 dictionary, 2 bloom
 *     11     1           reserved           0
 *     12     4           rows N             u32, 1..65,536
 *     16  K×W×8          kind bitmaps       W = ceil(N/64) u64 words each; one per present kind in ascending
 *                                           order except the highest present kind, whose rows are the rest
 *                                           (K = present kinds - 1; a single-kind column stores none).
 *                                           Row r is bit (r mod 64) of word r/64; bitmaps are disjoint.
 *   INT section, when INT rows exist:
 *            8           min                i64 over the INT rows
 *            8           max                i64
 *            1           width w            0..64 = bits of (max - min) as unsigned
 *     ceil(N×w/64)×8     values             row r's (value - min) in bits [r·w, r·w+w) of the u64 word
 *                                           stream, least significant first; rows not INT hold 0
 *   FLOAT section, when FLOAT rows exist:
 *            8           min, 8 max         f64 over the FLOAT rows (never NaN)
 *          N×8           values             f64 per row; rows not FLOAT hold min
 *   STRING section, encoding 1 (dictionary):
 *            4           D                  u32 distinct strings, >= 1
 *            4           T                  u32 total bytes of the strings
 *          D×4           ends               u32 end offset of entry i in the T bytes, ascending, last = T
 *            T           bytes              the entries, sorted by unsigned bytes, distinct
 *            1           width w            bits of (D - 1)
 *     ceil(N×w/64)×8     codes              as INT values; code < D on STRING rows, 0 elsewhere
 *   STRING section, encoding 2 (bloom; the strings themselves are not stored):
 *            4           B                  u32 blocks, >= 1
 *            4           distinct           u32 distinct strings added (for size accounting)
 *         B×32           bloom              {@link SplitBlockBloom} over XXH64 of each string's UTF-8
 * </pre>
 *
 * Numbers are big-endian like the rest of the segment format. The sections end exactly at 8 + L.
 *
 * <p>Checks: {@link #read} verifies length, CRC32C, version and the consistency of every section
 * size, bitmap tails and disjointness before it returns, so a damaged block raises
 * {@link CorruptSegmentException} (path + byte offset) and never yields values. Dictionary codes
 * are checked against D when read ({@link #code}).
 *
 * <p>Thread-safety: immutable; concurrent readers may share one instance as long as the memory
 * it reads stays mapped (the caller's reference counting, as for {@code SealedSegment}).
 */
public final class ColumnBlock {

    public static final int VERSION = 1;
    /** Length and CRC in front of the body. */
    public static final int PREFIX = 8;

    public static final int MAX_ROWS = 65_536;
    public static final int STRINGS_NONE = 0;
    public static final int STRINGS_DICTIONARY = 1;
    public static final int STRINGS_BLOOM = 2;

    private static final int HEADER = 16;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment data;
    private final long offset;
    private final Path file;
    private final long end;
    private final int rows;
    private final int kinds;
    private final int highestKind;
    private final int stringEncoding;
    private final int words;
    private final long intAt;
    private final long intMin;
    private final long intMax;
    private final int intWidth;
    private final long floatAt;
    private final double floatMin;
    private final double floatMax;
    private final long stringAt;
    private final int dictionarySize;
    private final long dictionaryEndsAt;
    private final long dictionaryBytesAt;
    private final int codeWidth;
    private final long codesAt;
    private final int bloomBlocks;
    private final long bloomAt;

    private ColumnBlock(MemorySegment data, long offset, Path file) {
        this.data = data;
        this.offset = offset;
        this.file = file;
        long available = data.byteSize() - offset;
        if (offset < 0 || available < PREFIX + HEADER - PREFIX) {
            throw corrupt(0, "column block truncated: " + Math.max(0, available) + " bytes");
        }
        long body = Integer.toUnsignedLong(data.get(U32, offset));
        if (body < HEADER - PREFIX || body > available - PREFIX) {
            throw corrupt(0, "column block length " + body + " outside the " + available + " bytes available");
        }
        this.end = offset + PREFIX + body;
        int stored = data.get(U32, offset + 4);
        if (stored != checksum(data, offset, body)) {
            throw corrupt(4, "column block checksum mismatch");
        }
        int version = u8(8);
        if (version != VERSION) {
            throw corrupt(8, "unsupported column block version " + version);
        }
        this.kinds = u8(9);
        this.stringEncoding = u8(10);
        if (kinds == 0 || u8(11) != 0) {
            throw corrupt(9, "column block has no kinds or a non-zero reserved byte");
        }
        boolean hasString = has(ColumnKind.STRING);
        if (hasString != (stringEncoding != STRINGS_NONE) || stringEncoding > STRINGS_BLOOM) {
            throw corrupt(
                    10, "string encoding " + stringEncoding + " does not fit kinds 0x" + Integer.toHexString(kinds));
        }
        long n = Integer.toUnsignedLong(data.get(U32, offset + 12));
        if (n < 1 || n > MAX_ROWS) {
            throw corrupt(12, "row count " + n + " outside 1.." + MAX_ROWS);
        }
        this.rows = (int) n;
        this.words = (rows + 63) >>> 6;
        this.highestKind = 31 - Integer.numberOfLeadingZeros(kinds);
        long at = offset + HEADER;
        int bitmaps = Integer.bitCount(kinds) - 1;
        need(at, (long) bitmaps * words * 8, "kind bitmaps");
        checkBitmaps(at, bitmaps);
        at += (long) bitmaps * words * 8;

        if (has(ColumnKind.INT)) {
            need(at, 17, "INT header");
            intMin = data.get(U64, at);
            intMax = data.get(U64, at + 8);
            intWidth = u8(at + 16 - offset);
            if (intMin > intMax || intWidth != widthFor(intMax - intMin)) {
                throw corrupt(at - offset, "INT min/max/width inconsistent");
            }
            intAt = at + 17;
            at = intAt + packedWords(rows, intWidth) * 8L;
            need(intAt, at - intAt, "INT values");
        } else {
            intMin = 0;
            intMax = 0;
            intWidth = 0;
            intAt = -1;
        }
        if (has(ColumnKind.FLOAT)) {
            need(at, 16 + 8L * rows, "FLOAT section");
            floatMin = Double.longBitsToDouble(data.get(U64, at));
            floatMax = Double.longBitsToDouble(data.get(U64, at + 8));
            if (!(floatMin <= floatMax)) {
                throw corrupt(at - offset, "FLOAT min/max inconsistent");
            }
            floatAt = at + 16;
            at = floatAt + 8L * rows;
        } else {
            floatMin = 0;
            floatMax = 0;
            floatAt = -1;
        }
        stringAt = at;
        if (stringEncoding == STRINGS_DICTIONARY) {
            need(at, 8, "dictionary header");
            long d = Integer.toUnsignedLong(data.get(U32, at));
            long total = Integer.toUnsignedLong(data.get(U32, at + 4));
            if (d < 1 || d > rows) {
                throw corrupt(at - offset, "dictionary size " + d + " outside 1.." + rows);
            }
            dictionarySize = (int) d;
            dictionaryEndsAt = at + 8;
            need(dictionaryEndsAt, 4 * d, "dictionary offsets");
            dictionaryBytesAt = dictionaryEndsAt + 4 * d;
            need(dictionaryBytesAt, total + 1, "dictionary bytes");
            long previous = 0;
            for (int i = 0; i < d; i++) {
                long e = Integer.toUnsignedLong(data.get(U32, dictionaryEndsAt + 4L * i));
                if (e < previous || e > total || (i == d - 1 && e != total)) {
                    throw corrupt(dictionaryEndsAt + 4L * i - offset, "dictionary offset " + e + " out of order");
                }
                previous = e;
            }
            long widthAt = dictionaryBytesAt + total;
            codeWidth = u8(widthAt - offset);
            if (codeWidth != widthFor(d - 1)) {
                throw corrupt(widthAt - offset, "code width " + codeWidth + " for " + d + " entries");
            }
            codesAt = widthAt + 1;
            at = codesAt + packedWords(rows, codeWidth) * 8L;
            need(codesAt, at - codesAt, "dictionary codes");
            bloomBlocks = 0;
            bloomAt = -1;
        } else if (stringEncoding == STRINGS_BLOOM) {
            need(at, 8, "bloom header");
            long b = Integer.toUnsignedLong(data.get(U32, at));
            if (b < 1 || b > (end - at) / SplitBlockBloom.BLOCK_BYTES) {
                throw corrupt(at - offset, "bloom of " + b + " blocks does not fit");
            }
            bloomBlocks = (int) b;
            bloomAt = at + 8;
            at = bloomAt + b * SplitBlockBloom.BLOCK_BYTES;
            need(bloomAt, at - bloomAt, "bloom");
            dictionarySize = 0;
            dictionaryEndsAt = -1;
            dictionaryBytesAt = -1;
            codeWidth = 0;
            codesAt = -1;
        } else {
            dictionarySize = 0;
            dictionaryEndsAt = -1;
            dictionaryBytesAt = -1;
            codeWidth = 0;
            codesAt = -1;
            bloomBlocks = 0;
            bloomAt = -1;
        }
        if (at != end) {
            throw corrupt(
                    at - offset, "column block sections end at " + (at - offset) + ", length says " + (end - offset));
        }
    }

    /**
     * Verifies and opens the column block at {@code data[offset]}.
     *
     * @param file for error messages only (null for in-memory data)
     * @throws CorruptSegmentException when any check fails
     */
    public static ColumnBlock read(MemorySegment data, long offset, Path file) {
        return new ColumnBlock(data, offset, file);
    }

    /** Verifies and opens the column block at the buffer's position (the buffer is not moved). */
    public static ColumnBlock read(ByteBuffer buffer) {
        return new ColumnBlock(MemorySegment.ofBuffer(buffer), 0, null);
    }

    public static ColumnBlock read(byte[] bytes) {
        return new ColumnBlock(MemorySegment.ofArray(bytes), 0, null);
    }

    // ---- shape --------------------------------------------------------------------------------

    public int rows() {
        return rows;
    }

    /** Bytes of the whole block, prefix included. */
    public long byteSize() {
        return end - offset;
    }

    public boolean has(ColumnKind kind) {
        return (kinds & (1 << kind.code())) != 0;
    }

    /** The kinds present, as a bit mask by {@link ColumnKind#code()}. */
    public int kindMask() {
        return kinds;
    }

    /** True when every row is of {@code kind}. */
    public boolean isAll(ColumnKind kind) {
        return kinds == 1 << kind.code();
    }

    /** Sets {@code into} (of {@link #rows()} rows) to the rows of {@code kind}. */
    public void rowsOf(ColumnKind kind, RowSet into) {
        if (into.size() != rows) {
            throw new IllegalArgumentException("row set of " + into.size() + " rows for a block of " + rows);
        }
        int code = kind.code();
        if (!has(kind)) {
            into.clear();
        } else if (Integer.bitCount(kinds) == 1) {
            into.fill();
        } else if (code == highestKind) {
            into.fill();
            for (int k = 0, index = 0; k < highestKind; k++) {
                if ((kinds & (1 << k)) != 0) {
                    long base = offset + HEADER + (long) index++ * words * 8;
                    for (int w = 0; w < words; w++) {
                        into.setWord(w, into.word(w) & ~data.get(U64, base + 8L * w));
                    }
                }
            }
        } else {
            int index = Integer.bitCount(kinds & ((1 << code) - 1));
            long base = offset + HEADER + (long) index * words * 8;
            for (int w = 0; w < words; w++) {
                into.setWord(w, data.get(U64, base + 8L * w));
            }
        }
    }

    // ---- INT ----------------------------------------------------------------------------------

    public long intMin() {
        requireKind(ColumnKind.INT);
        return intMin;
    }

    public long intMax() {
        requireKind(ColumnKind.INT);
        return intMax;
    }

    /** Row {@code row}'s integer; meaningful on INT rows only (others read as {@link #intMin()}). */
    public long intValue(int row) {
        requireKind(ColumnKind.INT);
        return intMin + unpack(intAt, intWidth, checkRow(row));
    }

    // ---- FLOAT --------------------------------------------------------------------------------

    public double floatMin() {
        requireKind(ColumnKind.FLOAT);
        return floatMin;
    }

    public double floatMax() {
        requireKind(ColumnKind.FLOAT);
        return floatMax;
    }

    /** Row {@code row}'s double; meaningful on FLOAT rows only. */
    public double floatValue(int row) {
        requireKind(ColumnKind.FLOAT);
        return Double.longBitsToDouble(data.get(U64, floatAt + 8L * checkRow(row)));
    }

    // ---- STRING -------------------------------------------------------------------------------

    /** {@link #STRINGS_NONE}, {@link #STRINGS_DICTIONARY} or {@link #STRINGS_BLOOM}. */
    public int stringEncoding() {
        return stringEncoding;
    }

    public int dictionarySize() {
        return dictionarySize;
    }

    /** Row {@code row}'s dictionary code; meaningful on STRING rows only. */
    public int code(int row) {
        if (stringEncoding != STRINGS_DICTIONARY) {
            throw new IllegalStateException("column has no dictionary");
        }
        long code = unpack(codesAt, codeWidth, checkRow(row));
        if (code >= dictionarySize) {
            throw corrupt(codesAt - offset, "row " + row + " has code " + code + " of " + dictionarySize);
        }
        return (int) code;
    }

    /** Start of entry {@code code} within the dictionary bytes. */
    private long entryStart(int code) {
        return code == 0 ? 0 : Integer.toUnsignedLong(data.get(U32, dictionaryEndsAt + 4L * (code - 1)));
    }

    public int entryLength(int code) {
        checkCode(code);
        return (int) (Integer.toUnsignedLong(data.get(U32, dictionaryEndsAt + 4L * code)) - entryStart(code));
    }

    /** A copy of entry {@code code}'s UTF-8 bytes (for tests and tools; the planner compares in place). */
    public byte[] entry(int code) {
        int length = entryLength(code);
        return data.asSlice(dictionaryBytesAt + entryStart(code), length).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Compares entry {@code code} with {@code utf8} by unsigned bytes (Unicode code point order):
     * negative, 0 or positive. Reads in place.
     */
    public int compareEntry(int code, byte[] utf8) {
        int length = entryLength(code);
        long start = dictionaryBytesAt + entryStart(code);
        int common = Math.min(length, utf8.length);
        for (int i = 0; i < common; i++) {
            int x = data.get(ValueLayout.JAVA_BYTE, start + i) & 0xff;
            int y = utf8[i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return length - utf8.length;
    }

    /** True when entry {@code code} starts with {@code prefix} (bytes). */
    public boolean entryStartsWith(int code, byte[] prefix) {
        int length = entryLength(code);
        if (length < prefix.length) {
            return false;
        }
        long start = dictionaryBytesAt + entryStart(code);
        for (int i = 0; i < prefix.length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** False when no STRING row of this block can equal a string whose XXH64 is {@code hash}. */
    public boolean bloomMightContain(long hash) {
        if (stringEncoding != STRINGS_BLOOM) {
            throw new IllegalStateException("column has no bloom");
        }
        return SplitBlockBloom.mightContain(data, bloomAt, bloomBlocks, hash);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Bits needed for values 0..{@code unsignedMax}. */
    static int widthFor(long unsignedMax) {
        return 64 - Long.numberOfLeadingZeros(unsignedMax);
    }

    static int packedWords(int rows, int width) {
        return (int) (((long) rows * width + 63) >>> 6);
    }

    private long unpack(long at, int width, int row) {
        if (width == 0) {
            return 0;
        }
        long bit = (long) row * width;
        long word = at + ((bit >>> 6) << 3);
        int shift = (int) (bit & 63);
        long value = data.get(U64, word) >>> shift;
        if (shift + width > 64) {
            value |= data.get(U64, word + 8) << (64 - shift);
        }
        return width == 64 ? value : value & ((1L << width) - 1);
    }

    private void checkBitmaps(long at, int bitmaps) {
        long tail = (rows & 63) == 0 ? 0 : -1L << (rows & 63);
        for (int w = 0; w < words; w++) {
            long seen = 0;
            for (int b = 0; b < bitmaps; b++) {
                long word = data.get(U64, at + ((long) b * words + w) * 8);
                if ((word & seen) != 0 || (w == words - 1 && (word & tail) != 0)) {
                    throw corrupt(at - offset, "kind bitmaps overlap or reach past row " + rows);
                }
                seen |= word;
            }
        }
    }

    private int checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        return row;
    }

    private void checkCode(int code) {
        if (code < 0 || code >= dictionarySize) {
            throw new IndexOutOfBoundsException("code " + code + " of " + dictionarySize);
        }
    }

    private void requireKind(ColumnKind kind) {
        if (!has(kind)) {
            throw new IllegalStateException("column has no " + kind + " rows");
        }
    }

    private int u8(long relative) {
        return data.get(ValueLayout.JAVA_BYTE, offset + relative) & 0xff;
    }

    private void need(long at, long bytes, String what) {
        if (bytes < 0 || at + bytes > end) {
            throw corrupt(at - offset, what + " (" + bytes + " bytes) runs past the end of the column block");
        }
    }

    private CorruptSegmentException corrupt(long relative, String problem) {
        return new CorruptSegmentException(file, offset + relative, problem);
    }

    static int checksum(MemorySegment data, long offset, long body) {
        CRC32C crc = new CRC32C();
        Checksums.update(crc, data, offset, 4);
        Checksums.update(crc, data, offset + PREFIX, body);
        return (int) crc.getValue();
    }

    static int checksum(byte[] block, int size) {
        CRC32C crc = new CRC32C();
        crc.update(block, 0, 4);
        crc.update(block, PREFIX, size - PREFIX);
        return (int) crc.getValue();
    }
}
