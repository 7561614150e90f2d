package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link DictionaryRegistry}: one copy per distinct dictionary, and headers decoded beside it take
 * that copy instead of making their own, but only when the bytes are the same.
 */
class DictionaryRegistryTest {
    private static final Path PATH = Path.of("0000-test.seg");
    private static final byte[] DICTIONARY = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22};

    private static SegmentHeader header(String id, byte[] dictionary) {
        return SegmentHeader.create(id, 1L, Codec.ZSTD, 3, 0, dictionary);
    }

    /** The header's bytes off the heap, as a mapped file holds them. */
    private static MemorySegment offHeap(Arena arena, byte[] bytes) {
        MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    @Test
    void aDictionaryNotHeldIsCopied() {
        DictionaryRegistry registry = new DictionaryRegistry();
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = registry.bytesLike(offHeap(arena, DICTIONARY));
            assertArrayEquals(DICTIONARY, bytes);
        }
        assertEquals(0, registry.size(), "looking does not register");
    }

    @Test
    void headersDecodedBesideAHeldDictionaryShareItsArray() {
        DictionaryRegistry registry = new DictionaryRegistry();
        DictionaryRegistry.Lease first = registry.acquire(header("0000-a", DICTIONARY.clone()));
        try (Arena arena = Arena.ofConfined()) {
            SegmentHeader decoded = SegmentHeader.decode(
                    offHeap(arena, header("0000-b", DICTIONARY).encode()), PATH, registry);
            assertSame(first.bytes(), decoded.dictionaryArray(), "no copy of a dictionary the store holds");
            DictionaryRegistry.Lease second = registry.acquire(decoded);
            assertSame(first.bytes(), second.bytes());
            assertEquals(1, registry.size());
            first.release();
            assertEquals(1, registry.size(), "still used by the second segment");
            second.release();
            assertEquals(0, registry.size(), "released with its last user");
        }
    }

    @Test
    void aDifferentDictionaryOfTheSameLengthIsNotTaken() {
        DictionaryRegistry registry = new DictionaryRegistry();
        DictionaryRegistry.Lease held = registry.acquire(header("0000-a", DICTIONARY.clone()));
        byte[] other = DICTIONARY.clone();
        other[other.length - 1]++; // differs in its last byte only
        try (Arena arena = Arena.ofConfined()) {
            SegmentHeader decoded =
                    SegmentHeader.decode(offHeap(arena, header("0000-b", other).encode()), PATH, registry);
            assertNotSame(held.bytes(), decoded.dictionaryArray());
            assertArrayEquals(other, decoded.dictionary());
            DictionaryRegistry.Lease lease = registry.acquire(decoded);
            assertEquals(2, registry.size());
            assertArrayEquals(other, lease.bytes());
            lease.release();
        }
        held.release();
    }

    @Test
    void aDictionaryReleasedIsCopiedAgain() {
        DictionaryRegistry registry = new DictionaryRegistry();
        DictionaryRegistry.Lease lease = registry.acquire(header("0000-a", DICTIONARY.clone()));
        byte[] released = lease.bytes();
        lease.release();
        try (Arena arena = Arena.ofConfined()) {
            SegmentHeader decoded = SegmentHeader.decode(
                    offHeap(arena, header("0000-b", DICTIONARY).encode()), PATH, registry);
            assertNotSame(released, decoded.dictionaryArray());
            assertArrayEquals(DICTIONARY, decoded.dictionary());
        }
    }

    @Test
    void aDamagedDictionaryFailsTheHeaderChecksumEvenWhenTheStoreHoldsTheOriginal() {
        DictionaryRegistry registry = new DictionaryRegistry();
        DictionaryRegistry.Lease held = registry.acquire(header("0000-a", DICTIONARY.clone()));
        byte[] encoded = header("0000-b", DICTIONARY).encode();
        int dictionaryAt = encoded.length - 4 - DICTIONARY.length;
        assertArrayEquals(DICTIONARY, Arrays.copyOfRange(encoded, dictionaryAt, dictionaryAt + DICTIONARY.length));
        encoded[dictionaryAt + 3] ^= 0x01;
        try (Arena arena = Arena.ofConfined()) {
            CorruptSegmentException e = assertThrows(
                    CorruptSegmentException.class, () -> SegmentHeader.decode(offHeap(arena, encoded), PATH, registry));
            assertEquals(true, e.getMessage().contains("header checksum mismatch"), e.getMessage());
        }
        assertEquals(1, registry.size());
        held.release();
    }
}
