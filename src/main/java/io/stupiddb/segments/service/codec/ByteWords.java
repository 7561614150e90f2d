package io.stupiddb.segments.service.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes of an array as one little-endian long (the first byte lowest), and the classic bit
 * test for which of them equal a given byte: what the codec's word-at-a-time scans share (NDJSON
 * newlines in {@link LineReader}, JSON escapes in {@link JsonDocumentWriter} and
 * {@link JsonLineTranscoder}, ASCII runs in {@link Utf8Validator}). Stateless.
 */
final class ByteWords {
    /** The high bit of every byte of a word: where the tests flag a byte. */
    static final long HIGH_BITS = 0x8080808080808080L;

    private static final long ONES = 0x0101010101010101L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ByteWords() {}

    /** {@code b[i, i + 8)} as one word. */
    static long get(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** Writes {@code word} to {@code b[i, i + 8)}. */
    static void set(byte[] b, int i, long word) {
        LONGS.set(b, i, word);
    }

    /**
     * The high bit of each byte of {@code word} equal to the byte repeated in {@code repeated}
     * (e.g. {@code 0x0A0A0A0A0A0A0A0AL} for newlines): the "has a zero byte" test after XOR. A
     * borrow can also flag a byte above a flagged one, so the result is exact for whether any byte
     * matches and for which is the first ({@link #firstFlagged}), not for the others.
     */
    static long equalTo(long word, long repeated) {
        long x = word ^ repeated;
        return (x - ONES) & ~x & HIGH_BITS;
    }

    /** The index in its word of the first (lowest) byte flagged in {@code flags}, which is not 0. */
    static int firstFlagged(long flags) {
        return Long.numberOfTrailingZeros(flags) >>> 3;
    }

    /**
     * The high bit of each of the eight bytes of {@code word} that ends a JSON string's plain run:
     * below 0x20, {@code "} or {@code \\}; bytes of 0x80 and above (UTF-8 sequences) never are. The
     * classic bit trick for "has a byte less than n" and {@link #equalTo}: exact, like them, for
     * whether any byte is flagged and for which is the first.
     */
    static long jsonEscapes(long word) {
        long control = (word - 0x2020202020202020L) & ~word & HIGH_BITS;
        return control
                | equalTo(word, 0x2222222222222222L) // '"'
                | equalTo(word, 0x5C5C5C5C5C5C5C5CL); // '\\'
    }
}
