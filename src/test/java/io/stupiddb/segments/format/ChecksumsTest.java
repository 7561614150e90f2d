package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@link Checksums}: CRC32C (not CRC32), the same over arrays and memory segments, over the given range only. */
class ChecksumsTest {
    private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theStandardCheckValueOfCrc32c() {
        assertEquals(0xE3069283, Checksums.crc32c(CHECK, 0, CHECK.length), "CRC-32C of \"123456789\"");
        assertEquals(0, Checksums.crc32c(new byte[0], 0, 0));
    }

    @Test
    void arraysAndMemorySegmentsAgreeOnEveryRange() {
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37);
        }
        MemorySegment segment = MemorySegment.ofArray(data);
        for (int offset = 0; offset < data.length; offset += 7) {
            for (int length = 0; offset + length <= data.length; length += 5) {
                assertEquals(
                        Checksums.crc32c(data, offset, length),
                        Checksums.crc32c(segment, offset, length),
                        offset + "+" + length);
            }
        }
    }

    @Test
    void onlyTheRangeCounts() {
        byte[] padded = new byte[CHECK.length + 4];
        System.arraycopy(CHECK, 0, padded, 2, CHECK.length);
        padded[0] = 1;
        padded[padded.length - 1] = 1;
        assertEquals(0xE3069283, Checksums.crc32c(padded, 2, CHECK.length));
        assertEquals(0xE3069283, Checksums.crc32c(MemorySegment.ofArray(padded), 2, CHECK.length));
        assertNotEquals(0xE3069283, Checksums.crc32c(padded, 1, CHECK.length));
    }
}
