package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC32C (Castagnoli; hardware-accelerated on x86 and ARM) over parts of a segment. */
public final class Checksums {
    private Checksums() {}

    /** CRC32C of {@code length} bytes at {@code offset}, as the unsigned value stored in a u32 field. */
    public static int crc32c(MemorySegment data, long offset, long length) {
        CRC32C crc = new CRC32C();
        crc.update(data.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    public static int crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
