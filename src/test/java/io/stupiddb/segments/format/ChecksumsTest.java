package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /**
     * The heap path (straight from the array) must take the segment's own offset into its array:
     * slices of slices, a read-only view (which has no heap base, so takes the buffer path) and
     * native memory holding the same bytes all give the checksum of exactly the range asked for.
     */
    @Test
    void slicesReadOnlyViewsAndNativeMemoryAgree() {
        byte[] data = new byte[200];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 91 + 7);
        }
        MemorySegment slice = MemorySegment.ofArray(data).asSlice(13, 150).asSlice(9, 120);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(120).copyFrom(slice);
            for (int offset = 0; offset < 120; offset += 11) {
                for (int length = 0; offset + length <= 120; length += 17) {
                    int expected = Checksums.crc32c(data, 22 + offset, length);
                    assertEquals(expected, updated(slice, offset, length), "heap " + offset + "+" + length);
                    assertEquals(expected, updated(slice.asReadOnly(), offset, length), "read-only");
                    assertEquals(expected, updated(offHeap, offset, length), "native");
                }
            }
        }
    }

    @Test
    void aRangeOutsideTheSegmentIsRefusedEvenWhenItsArrayGoesOn() {
        MemorySegment slice = MemorySegment.ofArray(new byte[64]).asSlice(8, 16);
        CRC32C crc = new CRC32C();
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.update(crc, slice, 10, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.update(crc, slice, -1, 4));
        assertEquals(new CRC32C().getValue(), crc.getValue(), "nothing was added");
    }

    private static int updated(MemorySegment data, long offset, long length) {
        CRC32C crc = new CRC32C();
        Checksums.update(crc, data, offset, length);
        return (int) crc.getValue();
    }
}
