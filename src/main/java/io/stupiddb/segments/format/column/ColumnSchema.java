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
 * The columns chosen for a segment by {@link FieldDiscovery}, with what the sample said about
 * them; stored once per v2 segment so a reader knows which paths have columns.
 *
 * <pre>
 * offset  size  field
 *      0     4  body length L      u32: bytes from offset 8 to the end
 *      4     4  CRC32C             over the 4 length bytes followed by the L body bytes
 *      8     1  version            1
 *      9     1  reserved           0
 *     10     2  fields F           u16
 *     12     4  sample documents   u32
 *     16        F entries:         u16 path length p, p bytes path (UTF-8, dotted),
 *                                  u8 type (FieldType ordinal), u8 flags (bit 0: forced),
 *                                  u32 documents present, u32 distinct values (estimate, saturated)
 * </pre>
 *
 * @param sampleDocuments documents the sample had
 * @param fields          ordered by path
 */
public record ColumnSchema(long sampleDocuments, List<Field> fields) {

    public static final int VERSION = 1;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * One column.
     *
     * @param type     the type most of its present values have
     * @param present  sampled documents that have the path
     * @param distinct estimated distinct values
     * @param forced   chosen by configuration rather than by the sample
     */
    public record Field(String path, FieldType type, long present, long distinct, boolean forced) {}

    public ColumnSchema {
        fields = List.copyOf(fields);
    }

    public List<ColumnPath> paths() {
        return fields.stream().map(f -> ColumnPath.of(f.path())).toList();
    }

    public byte[] encode() {
        ByteSink out = new ByteSink(64);
        out.u32(0);
        out.u32(0);
        out.u8(VERSION);
        out.u8(0);
        out.u16(fields.size());
        out.u32(saturate(sampleDocuments));
        for (Field field : fields) {
            byte[] utf8 = field.path().getBytes(StandardCharsets.UTF_8);
            out.u16(utf8.length);
            out.bytes(utf8);
            out.u8(field.type().ordinal());
            out.u8(field.forced() ? 1 : 0);
            out.u32(saturate(field.present()));
            out.u32(saturate(field.distinct()));
        }
        out.patchU32(0, out.size() - ColumnBlock.PREFIX);
        out.patchU32(4, ColumnBlock.checksum(out.array(), out.size()));
        return out.toByteArray();
    }

    private static int saturate(long v) {
        return (int) Math.min(v, 0xFFFF_FFFFL);
    }

    /**
     * Verifies and decodes a schema at {@code data[offset]}.
     *
     * @throws CorruptSegmentException when it fails a check
     */
    public static ColumnSchema read(MemorySegment data, long offset, Path file) {
        long available = data.byteSize() - offset;
        if (available < 16) {
            throw new CorruptSegmentException(file, offset, "column schema truncated");
        }
        long body = Integer.toUnsignedLong(data.get(U32, offset));
        if (body < 8 || body > available - 8) {
            throw new CorruptSegmentException(file, offset, "column schema length " + body + " does not fit");
        }
        CRC32C crc = new CRC32C();
        Checksums.update(crc, data, offset, 4);
        Checksums.update(crc, data, offset + 8, body);
        if (data.get(U32, offset + 4) != (int) crc.getValue()) {
            throw new CorruptSegmentException(file, offset + 4, "column schema checksum mismatch");
        }
        if (data.get(ValueLayout.JAVA_BYTE, offset + 8) != VERSION
                || data.get(ValueLayout.JAVA_BYTE, offset + 9) != 0) {
            throw new CorruptSegmentException(file, offset + 8, "unsupported column schema version");
        }
        int count = Short.toUnsignedInt(data.get(U16, offset + 10));
        long documents = Integer.toUnsignedLong(data.get(U32, offset + 12));
        long end = offset + 8 + body;
        long at = offset + 16;
        List<Field> fields = new ArrayList<>(count);
        FieldType[] types = FieldType.values();
        for (int i = 0; i < count; i++) {
            if (at + 2 > end) {
                throw new CorruptSegmentException(file, at, "column schema entry " + i + " runs past the end");
            }
            int p = Short.toUnsignedInt(data.get(U16, at));
            if (at + 2 + p + 10 > end) {
                throw new CorruptSegmentException(file, at, "column schema entry " + i + " runs past the end");
            }
            String path = new String(data.asSlice(at + 2, p).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            int type = data.get(ValueLayout.JAVA_BYTE, at + 2 + p) & 0xff;
            int flags = data.get(ValueLayout.JAVA_BYTE, at + 3 + p) & 0xff;
            if (type >= types.length || flags > 1) {
                throw new CorruptSegmentException(
                        file, at + 2 + p, "column schema entry " + i + " has type " + type + ", flags " + flags);
            }
            try {
                ColumnPath.of(path);
            } catch (IllegalArgumentException e) {
                throw new CorruptSegmentException(file, at + 2, "column schema entry " + i + ": " + e.getMessage());
            }
            fields.add(new Field(
                    path,
                    types[type],
                    Integer.toUnsignedLong(data.get(U32, at + 4 + p)),
                    Integer.toUnsignedLong(data.get(U32, at + 8 + p)),
                    flags == 1));
            at += 2 + p + 10;
        }
        if (at != end) {
            throw new CorruptSegmentException(
                    file, at, "column schema has " + (end - at) + " bytes after its last entry");
        }
        return new ColumnSchema(documents, fields);
    }

    public static ColumnSchema read(byte[] bytes) {
        return read(MemorySegment.ofArray(bytes), 0, null);
    }
}
