package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PayloadDecompressor}: records decompressed through a context's native buffer come back
 * byte for byte, from a mapped (native) file and from a heap array, when one record outgrows the
 * buffer and the next is small again, and with and without the segment's dictionary; a frame
 * that decompresses to another length than the record says is damage from either source, and
 * from a mapped file leaves the caller's array as it was.
 */
class PayloadDecompressorTest {
    private static final Path PATH = Path.of("0000-test.seg");
    /** A raw-content dictionary (zstd takes any bytes without its magic as one). */
    private static final byte[] DICTIONARY =
            "{\"level\":\"error\",\"service\":\"checkout\",\"message\":\"upstream timeout\",\"http\":{\"status\":503}}"
                    .repeat(40)
                    .getBytes(StandardCharsets.US_ASCII);

    /** Payloads of 200 bytes up to 300 KB (well past the context's first buffer), then small ones again. */
    private static List<byte[]> payloads() {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> payloads = new ArrayList<>();
        for (int size : new int[] {200, 1_500, 20_000, 300_000, 300, 70_000, 2_000}) {
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                // compressible but not trivial: text-like bytes with a little noise
                payload[i] = (byte) (i % 97 < 80 ? DICTIONARY[i % DICTIONARY.length] : 'a' + random.nextInt(26));
            }
            payloads.add(payload);
        }
        return payloads;
    }

    /** The records of {@code payloads}, compressed under {@code header}, one after another; their offsets in {@code offsets}. */
    private static byte[] records(SegmentHeader header, List<byte[]> payloads, long[] offsets) {
        ByteBuffer out = ByteBuffer.allocate(2 << 20);
        try (PayloadCompressor compressor = new PayloadCompressor(header)) {
            for (int i = 0; i < payloads.size(); i++) {
                byte[] payload = payloads.get(i);
                compressor.compress(payload, payload.length);
                assertTrue(compressor.isCompressed(), "payload " + i + " compresses");
                offsets[i] = out.position();
                RecordFrame.write(
                        out,
                        1,
                        i,
                        1_764_000_000_000L + i,
                        true,
                        payload.length,
                        compressor.output(),
                        compressor.outputLength());
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void recordsOfEverySizeDecompressFromNativeAndHeapMemoryThroughOneContext() {
        for (byte[] dictionary : new byte[][] {null, DICTIONARY}) {
            SegmentHeader header = SegmentHeader.create("0000-test", 0, Codec.ZSTD, 3, 0, dictionary);
            List<byte[]> payloads = payloads();
            long[] offsets = new long[payloads.size()];
            byte[] file = records(header, payloads, offsets);
            try (Arena arena = Arena.ofConfined();
                    DecompressionContexts contexts = new DecompressionContexts(1);
                    PayloadDecompressor decompressor = new PayloadDecompressor(header, PATH, contexts)) {
                MemorySegment mapped = arena.allocate(file.length);
                MemorySegment.copy(file, 0, mapped, ValueLayout.JAVA_BYTE, 0, file.length);
                for (MemorySegment data : new MemorySegment[] {mapped, MemorySegment.ofArray(file)}) {
                    for (int i = 0; i < payloads.size(); i++) {
                        byte[] expected = payloads.get(i);
                        byte[] target = new byte[expected.length + 3]; // larger than needed: only [0, raw) is written
                        assertEquals(expected.length, decompressor.decode(data, offsets[i], target));
                        assertArrayEquals(expected, Arrays.copyOf(target, expected.length), "payload " + i);
                        assertArrayEquals(new byte[3], Arrays.copyOfRange(target, expected.length, target.length));
                        assertArrayEquals(expected, decompressor.decode(data, offsets[i]));
                    }
                }
            }
        }
    }

    @Test
    void aFrameOfAnotherLengthThanTheRecordSaysIsDamage() {
        SegmentHeader header = SegmentHeader.create("0000-test", 0, Codec.ZSTD, 3, 0, null);
        byte[] payload = payloads().get(2);
        byte[] compressed;
        int compressedLength;
        try (PayloadCompressor compressor = new PayloadCompressor(header)) {
            compressor.compress(payload, payload.length);
            compressed = compressor.output().clone();
            compressedLength = compressor.outputLength();
        }
        for (int claimed : new int[] {payload.length - 1, payload.length + 1}) {
            ByteBuffer out = ByteBuffer.allocate(RecordFrame.OVERHEAD + compressedLength);
            RecordFrame.write(out, 1, 2, 3, true, claimed, compressed, compressedLength);
            try (Arena arena = Arena.ofConfined();
                    PayloadDecompressor decompressor = new PayloadDecompressor(header, PATH)) {
                MemorySegment mapped = arena.allocate(out.capacity());
                MemorySegment.copy(out.array(), 0, mapped, ValueLayout.JAVA_BYTE, 0, out.capacity());
                for (MemorySegment data : new MemorySegment[] {mapped, MemorySegment.ofArray(out.array())}) {
                    byte[] target = new byte[claimed];
                    Arrays.fill(target, (byte) 0x5A);
                    CorruptSegmentException e =
                            assertThrows(CorruptSegmentException.class, () -> decompressor.decode(data, 0, target));
                    assertTrue(
                            e.getMessage().contains("record says " + claimed)
                                    || e.getMessage().contains("zstd"),
                            e.getMessage());
                    if (data.isNative()) { // decompressed aside first: the target is left as it was
                        byte[] untouched = new byte[claimed];
                        Arrays.fill(untouched, (byte) 0x5A);
                        assertArrayEquals(untouched, target);
                    }
                }
            }
        }
    }
}
