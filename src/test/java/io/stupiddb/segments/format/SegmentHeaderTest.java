package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SegmentHeader}: encode/decode round trips, the field rules, and every damaged byte rejected. */
class SegmentHeaderTest {
    private static final Path PATH = Path.of("0000-test.seg");
    private static final byte[] DICTIONARY = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void roundTripWithoutDictionary() {
        SegmentHeader header = SegmentHeader.create("0000-abc", 1_764_000_000_123L, Codec.NONE, 0, 7, null);
        byte[] encoded = header.encode();
        assertEquals(header.encodedLength(), encoded.length);
        assertEquals(27 + 8 + 0 + 4, encoded.length, "27 + n + d, then the CRC (n = 8, d = 0)");
        assertArrayEquals(SegmentHeader.MAGIC, Arrays.copyOf(encoded, 8));
        SegmentHeader decoded = SegmentHeader.decode(MemorySegment.ofArray(encoded), PATH);
        assertEquals(header, decoded);
        assertEquals(FormatVersion.V1, decoded.version(), "new (active) segments start in the row layout");
        assertFalse(decoded.hasDictionary());
        assertEquals(0, decoded.dictionary().length);
    }

    @Test
    void roundTripWithDictionaryExtremeFieldsAndRecordsBehind() {
        SegmentHeader header = SegmentHeader.create("z".repeat(64), -1, Codec.ZSTD, -128, 1023, DICTIONARY);
        byte[] file = Arrays.copyOf(header.encode(), header.encodedLength() + 100); // records follow the header
        SegmentHeader decoded = SegmentHeader.decode(MemorySegment.ofArray(file), PATH);
        assertEquals(header, decoded);
        assertEquals(-128, decoded.level());
        assertEquals(1023, decoded.nodeId());
        assertEquals(-1, decoded.createdAtMillis());
        assertArrayEquals(DICTIONARY, decoded.dictionary());
        assertEquals(DICTIONARY.length, decoded.dictionaryLength());
    }

    @Test
    void theDictionaryIsCopiedInAndOut() {
        byte[] mine = DICTIONARY.clone();
        SegmentHeader header = SegmentHeader.create("0000-abc", 0, Codec.ZSTD, 3, 0, mine);
        mine[0] = 99;
        header.dictionary()[1] = 99;
        assertArrayEquals(DICTIONARY, header.dictionary());
        assertNotSame(header.dictionary(), header.dictionary());
    }

    @Test
    void withDictionaryAcceptsOnlyTheSameBytes() {
        SegmentHeader header = SegmentHeader.create("0000-abc", 0, Codec.ZSTD, 3, 0, DICTIONARY);
        assertEquals(header, header.withDictionary(DICTIONARY.clone()));
        assertThrows(IllegalArgumentException.class, () -> header.withDictionary(new byte[] {1}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "UPPER", "a/b", "a.b", "a_b", "ä", "../x"})
    void segmentIdsThatCouldFormAPathOrAreNotAsciiAreRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> SegmentHeader.create(id, 0, Codec.NONE, 0, 0, null));
    }

    @Test
    void fieldRangesAreChecked() {
        assertThrows(
                IllegalArgumentException.class, () -> SegmentHeader.create("a".repeat(65), 0, Codec.NONE, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> SegmentHeader.create("a", 0, Codec.NONE, 0, 1024, null));
        assertThrows(IllegalArgumentException.class, () -> SegmentHeader.create("a", 0, Codec.NONE, 0, -1, null));
        assertThrows(IllegalArgumentException.class, () -> SegmentHeader.create("a", 0, Codec.ZSTD, 128, 0, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentHeader.create("a", 0, Codec.NONE, 0, 0, DICTIONARY),
                "a dictionary needs zstd");
        assertThrows(
                IllegalArgumentException.class,
                () -> SegmentHeader.create(
                        "a", 0, Codec.ZSTD, 0, 0, new byte[SegmentHeader.MAX_DICTIONARY_LENGTH + 1]));
    }

    @Test
    void everySingleBitFlipIsRejected() {
        byte[] encoded = SegmentHeader.create("0000-abc", 1_764_000_000_123L, Codec.ZSTD, 3, 5, DICTIONARY)
                .encode();
        for (int bit = 0; bit < encoded.length * 8; bit++) {
            byte[] damaged = encoded.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            assertThrows(
                    CorruptSegmentException.class,
                    () -> SegmentHeader.decode(MemorySegment.ofArray(damaged), PATH),
                    () -> "bit " + at);
        }
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] encoded = SegmentHeader.create("0000-abc", 0, Codec.ZSTD, 3, 0, DICTIONARY)
                .encode();
        for (int length = 0; length < encoded.length; length++) {
            byte[] cut = Arrays.copyOf(encoded, length);
            assertThrows(
                    CorruptSegmentException.class,
                    () -> SegmentHeader.decode(MemorySegment.ofArray(cut), PATH),
                    "length " + length);
        }
    }

    @Test
    void anUnknownVersionIsRefusedEvenWithAGoodChecksum() {
        byte[] encoded = new SegmentHeader(FormatVersion.CURRENT + 1, "0000-abc", 0, Codec.NONE, 0, 0, null).encode();
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class, () -> SegmentHeader.decode(MemorySegment.ofArray(encoded), PATH));
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("format version " + (FormatVersion.CURRENT + 1)), e.getMessage());
    }

    @Test
    void anUnknownCodecIsRefusedEvenWithAGoodChecksum() {
        byte[] encoded =
                SegmentHeader.create("0000-abc", 0, Codec.NONE, 0, 0, null).encode();
        encoded[10] = 7;
        rechecksum(encoded);
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class, () -> SegmentHeader.decode(MemorySegment.ofArray(encoded), PATH));
        assertEquals(10, e.offset());
    }

    @Test
    void invalidFieldsBehindAGoodChecksumAreCorruptionNotAnIllegalArgument() {
        byte[] encoded =
                SegmentHeader.create("0000-abc", 0, Codec.NONE, 0, 0, null).encode();
        encoded[23] = 'A'; // an upper-case letter in the segment id
        rechecksum(encoded);
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class, () -> SegmentHeader.decode(MemorySegment.ofArray(encoded), PATH));
        assertTrue(e.getMessage().contains("header fields invalid"), e.getMessage());
    }

    private static void rechecksum(byte[] encoded) {
        int crcAt = encoded.length - 4;
        ByteBuffer.wrap(encoded).putInt(crcAt, Checksums.crc32c(encoded, 0, crcAt));
    }
}
