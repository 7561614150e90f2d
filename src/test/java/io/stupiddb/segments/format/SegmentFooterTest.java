package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SegmentFooter}: round trip, every damaged footer byte rejected, and the layout checks
 * (index and records must fit between header and footer) behind a good checksum.
 *
 * <p>The files are laid out as FORMAT.md draws them: a header of {@link #HEADER} bytes, 3 records
 * of the smallest size, the index of 3 entries, the footer.
 */
class SegmentFooterTest {
    private static final Path PATH = Path.of("0000-test.seg");
    private static final long HEADER = 40;
    private static final long DOCUMENTS = 3;
    private static final long INDEX_OFFSET = HEADER + DOCUMENTS * (RecordFrame.OVERHEAD + 1);
    private static final long INDEX_LENGTH = DOCUMENTS * SegmentIndex.ENTRY_SIZE;
    private static final UUID MIN = UUID.fromString("019a0000-0000-7000-8000-000000000001");
    private static final UUID MAX = UUID.fromString("f19a0000-0000-7000-8000-000000000003");

    @Test
    void roundTrip() {
        SegmentFooter footer = footer(INDEX_OFFSET, INDEX_LENGTH, DOCUMENTS);
        byte[] encoded = footer.encode();
        assertEquals(SegmentFooter.SIZE, encoded.length);
        MemorySegment file = file(encoded);
        assertTrue(SegmentFooter.hasEndMagic(file));
        assertEquals(footer, SegmentFooter.decode(file, PATH, HEADER));
    }

    @Test
    void anEmptySegmentHasAnEmptyIndex() {
        SegmentFooter empty = new SegmentFooter(HEADER, 0, 0, 0, 0, MIN, MIN, 5, 0);
        byte[] file = new byte[(int) HEADER + SegmentFooter.SIZE];
        System.arraycopy(empty.encode(), 0, file, (int) HEADER, SegmentFooter.SIZE);
        assertEquals(empty, SegmentFooter.decode(MemorySegment.ofArray(file), PATH, HEADER));
    }

    @Test
    void everySingleBitFlipIsRejected() {
        byte[] encoded = footer(INDEX_OFFSET, INDEX_LENGTH, DOCUMENTS).encode();
        for (int bit = 0; bit < encoded.length * 8; bit++) {
            byte[] damaged = encoded.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            assertThrows(
                    CorruptSegmentException.class,
                    () -> SegmentFooter.decode(file(damaged), PATH, HEADER),
                    () -> "bit " + at);
        }
    }

    @Test
    void aFileWithoutEndMagicHasNoFooter() {
        assertFalse(SegmentFooter.hasEndMagic(MemorySegment.ofArray(new byte[SegmentFooter.SIZE])));
        assertFalse(SegmentFooter.hasEndMagic(MemorySegment.ofArray(SegmentFooter.END_MAGIC)), "shorter than a footer");
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class,
                () -> SegmentFooter.decode(MemorySegment.ofArray(new byte[10]), PATH, 0));
        assertTrue(e.getMessage().contains("bad end magic"), e.getMessage());
    }

    @Test
    void impossibleLayoutsBehindAGoodChecksumAreRejected() {
        assertImpossible(footer(INDEX_OFFSET, INDEX_LENGTH - 1, DOCUMENTS), "index length is not documents x 24");
        assertImpossible(footer(INDEX_OFFSET - 1, INDEX_LENGTH, DOCUMENTS), "index does not end at the footer");
        assertImpossible(footer(INDEX_OFFSET, INDEX_LENGTH + 24, DOCUMENTS + 1), "more records than bytes for them");
        assertImpossible(footer(INDEX_OFFSET, -24, -1), "negative document count");
        SegmentFooter intoHeader = footer(INDEX_OFFSET, INDEX_LENGTH, DOCUMENTS);
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class,
                () -> SegmentFooter.decode(file(intoHeader.encode()), PATH, INDEX_OFFSET + 1));
        assertTrue(e.getMessage().contains("impossible layout"), "index inside the header: " + e.getMessage());
    }

    @Test
    void theIndexChecksumIsVerifiedOnDemand() {
        byte[] bytes = new byte[(int) (INDEX_OFFSET + INDEX_LENGTH) + SegmentFooter.SIZE];
        for (int i = (int) INDEX_OFFSET; i < INDEX_OFFSET + INDEX_LENGTH; i++) {
            bytes[i] = (byte) i;
        }
        int crc = Checksums.crc32c(bytes, (int) INDEX_OFFSET, (int) INDEX_LENGTH);
        SegmentFooter footer = new SegmentFooter(INDEX_OFFSET, INDEX_LENGTH, DOCUMENTS, 1, 2, MIN, MAX, 3, crc);
        System.arraycopy(footer.encode(), 0, bytes, (int) (INDEX_OFFSET + INDEX_LENGTH), SegmentFooter.SIZE);
        footer.verifyIndex(MemorySegment.ofArray(bytes), PATH);
        bytes[(int) INDEX_OFFSET + 5] ^= 1;
        SegmentFooter decoded = SegmentFooter.decode(MemorySegment.ofArray(bytes), PATH, HEADER);
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class, () -> decoded.verifyIndex(MemorySegment.ofArray(bytes), PATH));
        assertEquals(INDEX_OFFSET, e.offset());
    }

    private static void assertImpossible(SegmentFooter footer, String why) {
        byte[] encoded = footer.encode(); // a good checksum: only the layout check can refuse it
        CorruptSegmentException e = assertThrows(
                CorruptSegmentException.class, () -> SegmentFooter.decode(file(encoded), PATH, HEADER), why);
        assertTrue(e.getMessage().contains("impossible layout"), why + ": " + e.getMessage());
    }

    private static SegmentFooter footer(long indexOffset, long indexLength, long documents) {
        return new SegmentFooter(
                indexOffset,
                indexLength,
                documents,
                1_764_000_000_000L,
                1_764_000_360_000L,
                MIN,
                MAX,
                1_764_000_400_000L,
                0x1234_5678);
    }

    /** Header, records and index as zero bytes, then the footer. */
    private static MemorySegment file(byte[] footer) {
        byte[] bytes = new byte[(int) (INDEX_OFFSET + INDEX_LENGTH) + footer.length];
        System.arraycopy(footer, 0, bytes, (int) (INDEX_OFFSET + INDEX_LENGTH), footer.length);
        return MemorySegment.ofArray(bytes);
    }
}
