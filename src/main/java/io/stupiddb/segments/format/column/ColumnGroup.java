package io.stupiddb.segments.format.column;

import io.stupiddb.segments.format.Checksums;
import io.stupiddb.segments.format.CorruptSegmentException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The columns of one block of rows (a granule, e.g. 8,192 consecutive records of a segment): a
 * directory naming each column's path and length, followed by the {@link ColumnBlock}s.
 *
 * <pre>
 * offset  size   field
 *      0     4   directory length L   u32: bytes from offset 8 to the end of the directory
 *      4     4   CRC32C               over the 4 length bytes followed by the L directory bytes
 *      8     1   version              1
 *      9     1   reserved             0
 *     10     2   columns C            u16
 *     12     4   rows N               u32, 1..65,536; every column block has N rows
 *     16         C entries:           u16 path length p, p bytes path (UTF-8, dotted), u32 block length
 *    8+L         C column blocks      back to back in directory order, each with its own length and CRC32C
 * </pre>
 *
 * <p>Checks: {@link #read} verifies the directory (CRC32C, version, that every block fits); a
 * column block is verified when {@link #column} opens it, so a query reads and checks only the
 * columns its filter names. Any failure is a {@link CorruptSegmentException}.
 *
 * <p>Thread-safety: immutable after {@link #read}; shareable while the memory stays mapped.
 */
public final class ColumnGroup implements BlockColumns {

    public static final int VERSION = 1;
    private static final int HEADER = 16;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment data;
    private final long offset;
    private final Path file;
    private final int rows;
    private final long[] pathAt;
    private final int[] pathLength;
    private final long[] blockAt;
    private final long end;

    private ColumnGroup(MemorySegment data, long offset, Path file) {
        this.data = data;
        this.offset = offset;
        this.file = file;
        long available = data.byteSize() - offset;
        if (offset < 0 || available < HEADER) {
            throw corrupt(0, "column group truncated: " + Math.max(0, available) + " bytes");
        }
        long directory = Integer.toUnsignedLong(data.get(U32, offset));
        if (directory < HEADER - ColumnBlock.PREFIX || directory > available - ColumnBlock.PREFIX) {
            throw corrupt(
                    0, "column group directory length " + directory + " outside the " + available + " bytes available");
        }
        CRC32C crc = new CRC32C();
        Checksums.update(crc, data, offset, 4);
        Checksums.update(crc, data, offset + ColumnBlock.PREFIX, directory);
        if (data.get(U32, offset + 4) != (int) crc.getValue()) {
            throw corrupt(4, "column group checksum mismatch");
        }
        int version = data.get(ValueLayout.JAVA_BYTE, offset + 8) & 0xff;
        if (version != VERSION || data.get(ValueLayout.JAVA_BYTE, offset + 9) != 0) {
            throw corrupt(8, "unsupported column group version " + version);
        }
        int columns = Short.toUnsignedInt(data.get(U16, offset + 10));
        long n = Integer.toUnsignedLong(data.get(U32, offset + 12));
        if (n < 1 || n > ColumnBlock.MAX_ROWS) {
            throw corrupt(12, "row count " + n + " outside 1.." + ColumnBlock.MAX_ROWS);
        }
        this.rows = (int) n;
        this.pathAt = new long[columns];
        this.pathLength = new int[columns];
        this.blockAt = new long[columns];
        long directoryEnd = offset + ColumnBlock.PREFIX + directory;
        long at = offset + HEADER;
        long block = directoryEnd;
        for (int i = 0; i < columns; i++) {
            if (at + 2 > directoryEnd) {
                throw corrupt(at - offset, "directory entry " + i + " runs past the directory");
            }
            int p = Short.toUnsignedInt(data.get(U16, at));
            if (p == 0 || at + 2 + p + 4 > directoryEnd) {
                throw corrupt(at - offset, "directory entry " + i + " runs past the directory");
            }
            pathAt[i] = at + 2;
            pathLength[i] = p;
            long length = Integer.toUnsignedLong(data.get(U32, at + 2 + p));
            if (length < ColumnBlock.PREFIX || length > data.byteSize() - block) {
                throw corrupt(at + 2 + p - offset, "column block " + i + " of " + length + " bytes does not fit");
            }
            blockAt[i] = block;
            block += length;
            at += 2 + p + 4;
        }
        if (at != directoryEnd) {
            throw corrupt(at - offset, "directory has " + (directoryEnd - at) + " bytes after its last entry");
        }
        this.end = block;
    }

    /**
     * Verifies the directory of the column group at {@code data[offset]}.
     *
     * @param file for error messages only (null for in-memory data)
     * @throws CorruptSegmentException when the directory fails a check
     */
    public static ColumnGroup read(MemorySegment data, long offset, Path file) {
        return new ColumnGroup(data, offset, file);
    }

    /** Verifies the directory of the column group at the buffer's position (the buffer is not moved). */
    public static ColumnGroup read(java.nio.ByteBuffer buffer) {
        return new ColumnGroup(MemorySegment.ofBuffer(buffer), 0, null);
    }

    public static ColumnGroup read(byte[] bytes) {
        return new ColumnGroup(MemorySegment.ofArray(bytes), 0, null);
    }

    @Override
    public int rows() {
        return rows;
    }

    public int columnCount() {
        return blockAt.length;
    }

    /** Bytes of the whole group: directory and blocks. */
    public long byteSize() {
        return end - offset;
    }

    public List<String> paths() {
        List<String> paths = new ArrayList<>(pathAt.length);
        for (int i = 0; i < pathAt.length; i++) {
            byte[] utf8 = data.asSlice(pathAt[i], pathLength[i]).toArray(ValueLayout.JAVA_BYTE);
            paths.add(new String(utf8, StandardCharsets.UTF_8));
        }
        return paths;
    }

    /**
     * Verifies and opens the column for {@code path}, or returns null when the group has none.
     * Each call verifies the block's CRC32C again (about 0.1 ns per byte); callers that plan many
     * filters over one block keep the result.
     *
     * @throws CorruptSegmentException when the block fails a check or does not have {@link #rows()} rows
     */
    @Override
    public ColumnBlock column(ColumnPath path) {
        byte[] utf8 = path.utf8();
        for (int i = 0; i < pathAt.length; i++) {
            if (pathLength[i] == utf8.length && equalBytes(pathAt[i], utf8)) {
                ColumnBlock block = ColumnBlock.read(data, blockAt[i], file);
                long expected = (i + 1 < blockAt.length ? blockAt[i + 1] : end) - blockAt[i];
                if (block.byteSize() != expected || block.rows() != rows) {
                    throw corrupt(blockAt[i] - offset, "column block " + i + " disagrees with the directory");
                }
                return block;
            }
        }
        return null;
    }

    private boolean equalBytes(long at, byte[] utf8) {
        for (int i = 0; i < utf8.length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, at + i) != utf8[i]) {
                return false;
            }
        }
        return true;
    }

    private CorruptSegmentException corrupt(long relative, String problem) {
        return new CorruptSegmentException(file, offset + relative, problem);
    }

    /**
     * Encodes the columns {@code paths} of {@code documents} (one row per document, in order) as a
     * column group.
     */
    public static byte[] encode(List<ColumnPath> paths, List<FieldValues> documents, ColumnOptions options) {
        if (documents.isEmpty() || documents.size() > ColumnBlock.MAX_ROWS) {
            throw new IllegalArgumentException(
                    "a column group holds 1.." + ColumnBlock.MAX_ROWS + " rows, got " + documents.size());
        }
        Builder group = new Builder(paths, documents.size());
        for (FieldValues document : documents) {
            group.add(document);
        }
        return group.encode(options);
    }

    /**
     * Collects the columns {@code paths} of documents one row at a time and encodes them as a column
     * group, the same bytes as {@link ColumnGroup#encode}. A writer hands each document's values over
     * as it reads the document, so they die young: holding a granule's worth of them (8,192 maps of
     * every path) until the granule closed kept tens of megabytes alive across young collections,
     * which copied them every time. Mutable, not thread-safe.
     */
    public static final class Builder {
        private final List<ColumnPath> paths;
        private final ColumnBuilder[] builders;
        private int rows;

        /** For up to {@link ColumnBlock#MAX_ROWS} rows; {@code expectedRows} sizes the columns up front. */
        public Builder(List<ColumnPath> paths, int expectedRows) {
            if (paths.size() > 0xFFFF) {
                throw new IllegalArgumentException("too many columns: " + paths.size());
            }
            this.paths = List.copyOf(paths);
            this.builders = new ColumnBuilder[paths.size()];
            int capacity = Math.clamp(expectedRows, 1, ColumnBlock.MAX_ROWS);
            for (int i = 0; i < builders.length; i++) {
                builders[i] = new ColumnBuilder(capacity);
            }
        }

        /** Adds the next row: what {@code document} holds at each column's path. */
        public void add(FieldValues document) {
            if (rows == ColumnBlock.MAX_ROWS) {
                throw new IllegalArgumentException("a column group holds at most " + ColumnBlock.MAX_ROWS + " rows");
            }
            // Row by row: the document's values are looked up for every column while they are in cache.
            for (int i = 0; i < builders.length; i++) {
                builders[i].add(document, paths.get(i));
            }
            rows++;
        }

        /** Rows added so far. */
        public int rows() {
            return rows;
        }

        /** The column group of the rows added (at least one). */
        public byte[] encode(ColumnOptions options) {
            if (rows == 0) {
                throw new IllegalArgumentException("a column group holds 1.." + ColumnBlock.MAX_ROWS + " rows, got 0");
            }
            List<byte[]> blocks = new ArrayList<>(paths.size());
            for (ColumnBuilder builder : builders) {
                blocks.add(builder.encode(options));
            }
            ByteSink out = new ByteSink(256);
            out.u32(0);
            out.u32(0);
            out.u8(VERSION);
            out.u8(0);
            out.u16(paths.size());
            out.u32(rows);
            for (int i = 0; i < paths.size(); i++) {
                byte[] utf8 = paths.get(i).utf8();
                if (utf8.length > 0xFFFF) {
                    throw new IllegalArgumentException("path too long: " + paths.get(i));
                }
                out.u16(utf8.length);
                out.bytes(utf8);
                out.u32(blocks.get(i).length);
            }
            int directory = out.size() - ColumnBlock.PREFIX;
            out.patchU32(0, directory);
            out.patchU32(4, ColumnBlock.checksum(out.array(), out.size()));
            for (byte[] block : blocks) {
                out.bytes(block);
            }
            return out.toByteArray();
        }
    }
}
