package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

/**
 * The fixed-size footer at the end of a sealed segment (docs/FORMAT.md, "Footer"). It is read
 * and verified first when a segment is opened; an active segment has none.
 *
 * <pre>
 * offset  size  field
 *      0     8  index offset       i64
 *      8     8  index length       i64 (= documents × 24)
 *     16     8  documents          i64
 *     24     8  min timestamp      i64 epoch ms
 *     32     8  max timestamp      i64 epoch ms
 *     40    16  min id             UUID
 *     56    16  max id             UUID
 *     72     8  sealed at          i64 epoch ms
 *     80     4  index CRC32C       over the index bytes
 *     84     4  footer CRC32C      over footer bytes [0, 84)
 *     88     8  end magic          "SDBSEGND"
 * </pre>
 */
public record SegmentFooter(
        long indexOffset,
        long indexLength,
        long documents,
        long minTimestamp,
        long maxTimestamp,
        UUID minId,
        UUID maxId,
        long sealedAtMillis,
        int indexCrc) {

    public static final int SIZE = 96;
    public static final byte[] END_MAGIC = "SDBSEGND".getBytes(StandardCharsets.US_ASCII);

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putLong(indexOffset)
                .putLong(indexLength)
                .putLong(documents)
                .putLong(minTimestamp)
                .putLong(maxTimestamp)
                .putLong(minId.getMostSignificantBits())
                .putLong(minId.getLeastSignificantBits())
                .putLong(maxId.getMostSignificantBits())
                .putLong(maxId.getLeastSignificantBits())
                .putLong(sealedAtMillis)
                .putInt(indexCrc);
        out.putInt(Checksums.crc32c(out.array(), 0, 84));
        out.put(END_MAGIC);
        return out.array();
    }

    /** True when the last bytes of {@code file} carry the end magic (the file was sealed, maybe corrupt). */
    public static boolean hasEndMagic(MemorySegment file) {
        long size = file.byteSize();
        return size >= SIZE
                && Arrays.equals(
                        file.asSlice(size - END_MAGIC.length, END_MAGIC.length).toArray(ValueLayout.JAVA_BYTE),
                        END_MAGIC);
    }

    /**
     * Reads and verifies the footer at the end of {@code file} in O(1): end magic, checksum, and
     * that index and records fit between header and footer. The index checksum is not verified
     * here (that is O(documents)); see {@link #verifyIndex}.
     */
    public static SegmentFooter decode(MemorySegment file, Path path, long headerLength) {
        return decode(file, path, headerLength, file.byteSize() - SIZE);
    }

    /**
     * As {@link #decode(MemorySegment, Path, long)}, for a file whose index ends at
     * {@code indexEnd} rather than at the footer (format v2: the column index lies between).
     */
    public static SegmentFooter decode(MemorySegment file, Path path, long headerLength, long indexEnd) {
        long size = file.byteSize();
        long at = size - SIZE;
        if (!hasEndMagic(file)) {
            throw new CorruptSegmentException(path, Math.max(0, at), "no footer (bad end magic)");
        }
        if (Checksums.crc32c(file, at, 84) != file.get(Layouts.INT, at + 84)) {
            throw new CorruptSegmentException(path, at + 84, "footer checksum mismatch");
        }
        SegmentFooter footer = new SegmentFooter(
                file.get(Layouts.LONG, at),
                file.get(Layouts.LONG, at + 8),
                file.get(Layouts.LONG, at + 16),
                file.get(Layouts.LONG, at + 24),
                file.get(Layouts.LONG, at + 32),
                new UUID(file.get(Layouts.LONG, at + 40), file.get(Layouts.LONG, at + 48)),
                new UUID(file.get(Layouts.LONG, at + 56), file.get(Layouts.LONG, at + 64)),
                file.get(Layouts.LONG, at + 72),
                file.get(Layouts.INT, at + 80));
        if (footer.documents < 0
                || footer.indexLength != footer.documents * SegmentIndex.ENTRY_SIZE
                || footer.indexOffset < headerLength
                || footer.indexOffset + footer.indexLength != indexEnd
                || footer.indexOffset - headerLength < footer.documents * (RecordFrame.OVERHEAD + 1L)) {
            throw new CorruptSegmentException(path, at, "footer describes an impossible layout: " + footer);
        }
        return footer;
    }

    /** O(documents): checks the index bytes against their checksum. */
    public void verifyIndex(MemorySegment file, Path path) {
        if (Checksums.crc32c(file, indexOffset, indexLength) != indexCrc) {
            throw new CorruptSegmentException(path, indexOffset, "index checksum mismatch");
        }
    }
}
