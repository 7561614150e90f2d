package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.zip.CRC32C;

/** CRC32C (Castagnoli; hardware-accelerated on x86 and ARM) over parts of a segment. */
public final class Checksums {
    private Checksums() {}

    /** CRC32C of {@code length} bytes at {@code offset}, as the unsigned value stored in a u32 field. */
    public static int crc32c(MemorySegment data, long offset, long length) {
        CRC32C crc = new CRC32C();
        update(crc, data, offset, length);
        return (int) crc.getValue();
    }

    /**
     * Adds {@code length} bytes at {@code offset} to {@code crc}. Bytes on the heap (a record read
     * from an active file, a block in a Java array) go straight from their array: the slice and
     * buffer views the other way needs are a few hundred bytes of garbage per record checked,
     * which a GET paid on every answer.
     */
    public static void update(CRC32C crc, MemorySegment data, long offset, long length) {
        if (data.heapBase().orElse(null) instanceof byte[] array) {
            Objects.checkFromIndexSize(offset, length, data.byteSize());
            crc.update(array, Math.toIntExact(data.address() + offset), Math.toIntExact(length));
        } else {
            crc.update(data.asSlice(offset, length).asByteBuffer());
        }
    }

    public static int crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
