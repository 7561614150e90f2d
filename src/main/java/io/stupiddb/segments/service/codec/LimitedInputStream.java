package io.stupiddb.segments.service.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Counts the bytes read from a request body and throws {@link RequestTooLargeException} as soon as
 * more than {@code limit} have been read, so an oversized body is refused after at most
 * {@code limit + 1} bytes, never buffered whole. Exactly {@code limit} bytes are fine. Closing does
 * not close the wrapped stream (the caller owns it). Not thread-safe (one request, one reader).
 */
public final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private long count;

    public LimitedInputStream(InputStream in, long limit) {
        this.in = Objects.requireNonNull(in, "in");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        long room = limit - count; // never negative: add() throws first
        // Ask for one byte past the limit at most: enough to see that the body is too large.
        int ask = room >= Integer.MAX_VALUE ? len : (int) Math.min(len, room + 1);
        int n = in.read(b, off, ask);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private void add(long n) {
        count += n;
        if (count > limit) {
            throw new RequestTooLargeException(limit);
        }
    }
}
