package io.stupiddb.segments.service.codec;

import java.io.IOException;

/**
 * A position in one stored source's MessagePack bytes and the header reads both renderers of sources
 * need ({@link SourceWriter} into a Jackson generator, {@link JsonDocumentWriter} into JSON bytes):
 * format bytes, big-endian numbers, string and container lengths, each checked against the end of
 * the source, so a truncated or over-long source is an {@link IOException}, never a read past it.
 * Not thread-safe.
 */
final class SourceReader {
    byte[] bytes;
    int pos;
    /** Where the source ends in {@link #bytes} (exclusive). */
    private int end;
    /** Where it starts: positions in messages count from here. */
    private int first;

    /** Starts reading {@code source} from its first byte. */
    void start(byte[] source) {
        start(source, 0, source.length);
    }

    /** Starts reading the source held in {@code bytes[from, from + length)}. */
    void start(byte[] bytes, int from, int length) {
        this.bytes = bytes;
        this.pos = from;
        this.first = from;
        this.end = from + length;
    }

    /** The payload length of a string whose format byte is {@code f} (its header read), or -1 for another type. */
    int stringLength(int f) throws IOException {
        if (f >= 0xa0 && f <= 0xbf) {
            return f & 0x1f;
        }
        long len = switch (f) {
            case 0xd9 -> be(1);
            case 0xda -> be(2);
            case 0xdb -> be(4);
            default -> -1;
        };
        if (len > Integer.MAX_VALUE) {
            throw bad("a string longer than 2 GiB");
        }
        return (int) len;
    }

    /** The element count of a map or array whose format byte is {@code f} (its header read), or -1. */
    long containerLength(int f) throws IOException {
        if (f >= 0x80 && f <= 0x9f) {
            return f & 0x0f;
        }
        return switch (f) {
            case 0xdc, 0xde -> be(2);
            case 0xdd, 0xdf -> be(4);
            default -> -1;
        };
    }

    /** Whether the container format byte {@code f} opens a map (else an array). */
    static boolean isMap(int f) {
        return f <= 0x8f || f == 0xde || f == 0xdf;
    }

    int u8() throws IOException {
        need(1);
        return bytes[pos++] & 0xff;
    }

    /** The next {@code n} bytes as a big-endian unsigned number (8 bytes: the raw 64 bits). */
    long be(int n) throws IOException {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (bytes[pos++] & 0xff);
        }
        return v;
    }

    void need(long n) throws IOException {
        if (n > end - pos) {
            throw bad("truncated");
        }
    }

    /** Fails unless the value read ended exactly at the last byte. */
    void requireEnd() throws IOException {
        if (pos != end) {
            throw bad("data after its first value");
        }
    }

    IOException bad(String why) {
        return new IOException(
                "document source is not one whole MessagePack value: " + why + " (at byte " + (pos - first) + ")");
    }
}
