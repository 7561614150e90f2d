package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a format v2 file keeps its column index (docs/FORMAT.md, "Column index"): the fixed-size
 * block right before the footer. The footer stays the v1 footer, so everything a v1 reader knows
 * still holds; a v2 reader reads this block first to learn where the id index must end.
 *
 * <pre>
 * offset  size  field
 *      0     8  column index offset   i64 (= end of the id index)
 *      8     8  column index length   i64 (= bytes up to this block)
 *     16     4  granules G            u32
 *     20     4  granule rows R        u32: rows per granule; the last one may have fewer
 *     24     4  granule table CRC32C  over the G × 32 bytes at the end of the column index
 *     28     4  locator CRC32C        over bytes [0, 28)
 *     32     8  magic                 "SDBCOLIX"
 * </pre>
 *
 * @param offset      where the column index starts
 * @param length      its length in bytes (schema, column groups, granule table)
 * @param granules    granules in the table
 * @param granuleRows rows per granule
 * @param tableCrc    CRC32C of the granule table
 */
public record ColumnLocator(long offset, long length, int granules, int granuleRows, int tableCrc) {

    public static final int SIZE = 40;
    public static final byte[] MAGIC = "SDBCOLIX".getBytes(StandardCharsets.US_ASCII);
    /** Bytes per granule table entry. */
    public static final int GRANULE_ENTRY = 32;

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putLong(offset).putLong(length).putInt(granules).putInt(granuleRows).putInt(tableCrc);
        out.putInt(Checksums.crc32c(out.array(), 0, 28));
        out.put(MAGIC);
        return out.array();
    }

    /** Offset of the granule table: the last {@code granules × 32} bytes of the column index. */
    public long tableOffset() {
        return offset + length - (long) granules * GRANULE_ENTRY;
    }

    /**
     * Reads and verifies the locator right before the footer of {@code file} in O(1): magic,
     * checksum, and that the column index fits between {@code headerLength} and the locator.
     */
    public static ColumnLocator decode(MemorySegment file, Path path, long headerLength) {
        long at = file.byteSize() - SegmentFooter.SIZE - SIZE;
        if (at < headerLength) {
            throw new CorruptSegmentException(path, Math.max(0, at), "file too short for a v2 column locator");
        }
        byte[] magic = file.asSlice(at + 32, MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptSegmentException(path, at + 32, "no column locator (bad magic)");
        }
        if (Checksums.crc32c(file, at, 28) != file.get(Layouts.INT, at + 28)) {
            throw new CorruptSegmentException(path, at + 28, "column locator checksum mismatch");
        }
        ColumnLocator locator = new ColumnLocator(
                file.get(Layouts.LONG, at),
                file.get(Layouts.LONG, at + 8),
                file.get(Layouts.INT, at + 16),
                file.get(Layouts.INT, at + 20),
                file.get(Layouts.INT, at + 24));
        if (locator.offset < headerLength
                || locator.length < 0
                || locator.offset + locator.length != at
                || locator.granules < 0
                || locator.granuleRows < 1
                || (long) locator.granules * GRANULE_ENTRY > locator.length) {
            throw new CorruptSegmentException(path, at, "column locator describes an impossible layout: " + locator);
        }
        return locator;
    }
}
