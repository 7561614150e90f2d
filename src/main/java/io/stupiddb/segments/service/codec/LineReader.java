package io.stupiddb.segments.service.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads an NDJSON body line by line: a line ends at {@code \n}; a {@code \r} before it stays in the
 * line, where JSON counts it as whitespace. The line's bytes are in {@link #bytes()} up to
 * {@link #length()}, valid until the next {@link #next()}; the buffer grows to the longest line (the
 * body's size limit bounds it). Not thread-safe (one request, one reader); does not close the stream.
 */
final class LineReader {
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private final InputStream in;
    private final byte[] chunk = new byte[8192];
    private int pos;
    private int end;
    private boolean eof;
    private byte[] bytes = new byte[256];
    private int len;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line into {@link #bytes()}; false at the end (a last line without newline counts). */
    boolean next() throws IOException {
        len = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                if (eof) {
                    return any;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    eof = true;
                    return any;
                }
                pos = 0;
                end = n;
            }
            any = true;
            int start = pos;
            int newline = indexOfNewline(chunk, start, end);
            if (newline >= 0) {
                append(start, newline - start);
                pos = newline + 1; // past the newline
                return true;
            }
            append(start, end - start);
            pos = end;
        }
    }

    /**
     * The index of the first {@code \n} in {@code b[from, to)}, or -1; eight bytes a step
     * ({@link ByteWords#equalTo}).
     * A loop over fields byte by byte, as this was, ran about three times slower in some JVMs
     * than in others, for the life of the process (issue 14 round 7).
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long found = ByteWords.equalTo(ByteWords.get(b, i), NEWLINES);
            if (found != 0) {
                return i + ByteWords.firstFlagged(found);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The current line's bytes (without its {@code \n}), valid up to {@link #length()}. */
    byte[] bytes() {
        return bytes;
    }

    /** Bytes in the current line. */
    int length() {
        return len;
    }

    /** Whether the current line holds only spaces, tabs and carriage returns (or nothing). */
    boolean isBlank() {
        for (int i = 0; i < len; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private void append(int from, int n) {
        if (bytes.length - len < n) {
            bytes = Arrays.copyOf(bytes, Math.max(len + n, 2 * bytes.length));
        }
        System.arraycopy(chunk, from, bytes, len, n);
        len += n;
    }
}
