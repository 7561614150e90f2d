package io.stupiddb.segments.service.codec;

/**
 * Strict UTF-8 (RFC 3629) check over a byte stream fed in pieces: refuses overlong forms
 * ({@code C0 AF}), encoded surrogates ({@code ED A0 80}), code points above U+10FFFF and stray or
 * missing continuation bytes. Jackson's parser refuses most invalid UTF-8 itself but decodes overlong
 * forms silently; this closes that gap. Between characters, runs of ASCII are passed over a word
 * (8 bytes) at a time: bodies are mostly ASCII, and a byte at a time this check was a sixth of a
 * MessagePack write's request-thread time (docs/BENCHMARKS.md, round 5). Not thread-safe.
 */
public final class Utf8Validator {

    private int remaining; // continuation bytes still expected
    private int lo = 0x80; // range of the next continuation byte
    private int hi = 0xbf;
    private long position;

    /** Offset of the first byte of {@code bytes} that is not strict UTF-8 (or its length when the last
     * character is cut short); -1 when all of it is valid. */
    public static long firstInvalid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length);
    }

    /** The same for {@code len} bytes of {@code bytes} from {@code off}; the offset is relative to {@code off}. */
    static long firstInvalid(byte[] bytes, int off, int len) {
        Utf8Validator validator = new Utf8Validator();
        int bad = validator.check(bytes, off, len);
        return bad >= 0 ? bad - off : validator.complete() ? -1 : len;
    }

    /** Bytes checked so far. */
    long position() {
        return position;
    }

    /** @return the index in {@code b} of the first invalid byte, or -1 when all are valid so far */
    int check(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (remaining == 0) {
                // a word of ASCII: no byte has its high bit set
                while (i <= end - Long.BYTES && (ByteWords.get(b, i) & ByteWords.HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == end) {
                    break;
                }
            }
            if (!accept(b[i] & 0xff)) {
                position += i - off;
                return i;
            }
            i++;
        }
        position += len;
        return -1;
    }

    /** Takes one byte; false when it cannot come next in strict UTF-8. */
    private boolean accept(int c) {
        if (remaining > 0) {
            if (c < lo || c > hi) {
                return false;
            }
            lo = 0x80;
            hi = 0xbf;
            remaining--;
        } else if (c >= 0x80) {
            if (c >= 0xc2 && c <= 0xdf) {
                remaining = 1;
            } else if (c == 0xe0) {
                remaining = 2;
                lo = 0xa0;
            } else if (c == 0xed) {
                remaining = 2;
                hi = 0x9f;
            } else if (c >= 0xe1 && c <= 0xef) {
                remaining = 2;
            } else if (c == 0xf0) {
                remaining = 3;
                lo = 0x90;
            } else if (c >= 0xf1 && c <= 0xf3) {
                remaining = 3;
            } else if (c == 0xf4) {
                remaining = 3;
                hi = 0x8f;
            } else {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes so far end on a character boundary. */
    boolean complete() {
        return remaining == 0;
    }
}
