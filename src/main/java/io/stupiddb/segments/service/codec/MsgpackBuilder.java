package io.stupiddb.segments.service.codec;

import java.util.Arrays;

/**
 * Writes one MessagePack value whose container sizes are not known up front (a JSON object's entry
 * count is known only at its end), in one buffer: values are appended as they come, and each
 * container leaves a <em>hole</em> where its header goes, remembered with its position. Closing a
 * container only records its element count; {@link #toByteArray()} then writes the document once,
 * copying the runs of content between the holes and the minimal header into each hole. So every
 * content byte is copied once into the buffer and once into the result, whatever the nesting (the
 * builder this replaced copied each container's content into its parent's buffer, once per level).
 *
 * <p>Size limit: {@link #size()} counts the bytes written plus the headers of the closed
 * containers, a lower bound of the final size while containers are open and the exact size once
 * the root is closed. Once it exceeds the limit the builder stops storing bytes but keeps counting,
 * so memory stays bounded by the limit. {@link #reset(boolean) reset(false)} counts without storing
 * from the start: the MessagePack reader's first pass over a document that may turn out to be
 * stored as it came.
 *
 * <p>Encoding is minimal (smallest int/str/array/map format), like msgpack-core's packer: positive
 * integers as fixint/uint, negative as negfixint/int; floats keep their width. Not thread-safe (one
 * per decode call); the buffers are reused across the documents of a batch.
 */
final class MsgpackBuilder {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final long limit;
    private final int maxDepth;
    /** Element count of each open container; [0] counts the root value. */
    private final long[] counts;
    /** The hole (index into the hole arrays) of each open container. */
    private final int[] openHole;

    private byte[] buf = new byte[256];
    private int len;
    // Holes in order of their positions: where a header goes, the element count, map or array.
    private int[] holePos = new int[16];
    private long[] holeCount = new long[16];
    private boolean[] holeMap = new boolean[16];
    private int holes;
    private int level;
    private long total;
    private boolean storing;

    MsgpackBuilder(long limit, int maxDepth) {
        this.limit = limit;
        this.maxDepth = maxDepth;
        this.counts = new long[maxDepth + 1];
        this.openHole = new int[maxDepth + 1];
    }

    /** Starts a new document whose bytes are kept. */
    void reset() {
        reset(true);
    }

    /** Starts a new document; {@code store} false only counts (size and elements), keeps no bytes. */
    void reset(boolean store) {
        level = 0;
        total = 0;
        len = 0;
        holes = 0;
        counts[0] = 0;
        storing = store;
    }

    /** Open containers. */
    int depth() {
        return level;
    }

    void startMap() {
        push(true);
    }

    void startArray() {
        push(false);
    }

    private void push(boolean map) {
        if (level == maxDepth) {
            throw new IllegalStateException("deeper than " + maxDepth); // callers check first
        }
        counts[level]++;
        level++;
        counts[level] = 0;
        if (storing) {
            if (holes == holePos.length) {
                int n = 2 * holes;
                holePos = Arrays.copyOf(holePos, n);
                holeCount = Arrays.copyOf(holeCount, n);
                holeMap = Arrays.copyOf(holeMap, n);
            }
            holePos[holes] = len;
            holeMap[holes] = map;
            openHole[level] = holes++;
        }
    }

    /** Closes the innermost container: its header is now known. */
    void end() {
        long n = counts[level];
        if (storing) {
            holeCount[openHole[level]] = n;
        }
        level--;
        account(arrayHeaderSize(n)); // a map's header has the same size as an array's; it is not in the buffer
    }

    /** A map key (not counted as an element). */
    void key(byte[] utf8) {
        key(utf8, 0, utf8.length);
    }

    /** A map key: {@code n} bytes of UTF-8 from {@code off}. */
    void key(byte[] utf8, int off, int n) {
        if (reserve(strHeaderSize(n) + n)) {
            writeStr(utf8, off, n);
        }
    }

    /**
     * A map key given as UTF-16 characters (a parser's name buffer), written as UTF-8 with no
     * intermediate String or array.
     *
     * @return false, writing nothing, when it holds an unpaired surrogate (not valid Unicode)
     */
    boolean key(char[] chars, int off, int n) {
        return chars(chars, off, n);
    }

    void string(byte[] utf8, int off, int n) {
        counts[level]++;
        if (reserve(strHeaderSize(n) + n)) {
            writeStr(utf8, off, n);
        }
    }

    /**
     * A string value given as UTF-16 characters (a parser's text buffer), written as UTF-8 with no
     * intermediate String or array.
     *
     * @return false, writing nothing, when it holds an unpaired surrogate (not valid Unicode)
     */
    boolean string(char[] chars, int off, int n) {
        if (!chars(chars, off, n)) {
            return false;
        }
        counts[level]++;
        return true;
    }

    private boolean chars(char[] chars, int off, int n) {
        int bytes = Utf8.length(chars, off, n);
        if (bytes < 0) {
            return false;
        }
        if (reserve(strHeaderSize(bytes) + bytes)) {
            writeStrHeader(bytes);
            len = Utf8.encode(chars, off, n, buf, len);
        }
        return true;
    }

    /** A string (or key, when {@code isKey}) of {@code n} bytes that is not kept: the document is too large. */
    void oversizedString(long n, boolean isKey) {
        if (!isKey) {
            counts[level]++;
        }
        account(strHeaderSize(n) + n);
        storing = false;
    }

    void nil() {
        if (scalar(1)) {
            buf[len++] = (byte) 0xc0;
        }
    }

    void bool(boolean value) {
        if (scalar(1)) {
            buf[len++] = (byte) (value ? 0xc3 : 0xc2);
        }
    }

    void integer(long v) {
        if (v >= 0) {
            unsigned(v);
        } else if (v >= -32) {
            put1((int) v);
        } else if (v >= Byte.MIN_VALUE) {
            putBE(0xd0, v, 1);
        } else if (v >= Short.MIN_VALUE) {
            putBE(0xd1, v, 2);
        } else if (v >= Integer.MIN_VALUE) {
            putBE(0xd2, v, 4);
        } else {
            putBE(0xd3, v, 8);
        }
    }

    /** An unsigned 64-bit integer given by its bits ({@code v} may be negative: values above Long.MAX_VALUE). */
    void uint64(long bits) {
        if (bits >= 0) {
            unsigned(bits);
        } else {
            putBE(0xcf, bits, 8);
        }
    }

    private void unsigned(long v) {
        if (v < 128) {
            put1((int) v);
        } else if (v <= 0xff) {
            putBE(0xcc, v, 1);
        } else if (v <= 0xffff) {
            putBE(0xcd, v, 2);
        } else if (v <= 0xffffffffL) {
            putBE(0xce, v, 4);
        } else {
            putBE(0xcf, v, 8);
        }
    }

    void float32(float v) {
        putBE(0xca, Float.floatToRawIntBits(v), 4);
    }

    void float64(double v) {
        putBE(0xcb, Double.doubleToRawLongBits(v), 8);
    }

    /** Exact encoded size of what was written (of the whole document once the root is closed). */
    long size() {
        return total;
    }

    /** Whether the document exceeded the limit (its bytes were not kept). */
    boolean tooLarge() {
        return total > limit;
    }

    /** The finished document: the content with each container's minimal header in its hole. */
    byte[] toByteArray() {
        if (level != 0 || !storing || tooLarge()) {
            throw new IllegalStateException(level != 0 ? "open containers" : "document not kept");
        }
        byte[] out = new byte[(int) total];
        int from = 0;
        int to = 0;
        for (int h = 0; h < holes; h++) {
            int run = holePos[h] - from;
            System.arraycopy(buf, from, out, to, run);
            to = writeHeader(out, to + run, holeCount[h], holeMap[h]);
            from = holePos[h];
        }
        System.arraycopy(buf, from, out, to, len - from);
        return out;
    }

    private boolean scalar(int n) {
        counts[level]++;
        return reserve(n);
    }

    private void put1(int b) {
        if (scalar(1)) {
            buf[len++] = (byte) b;
        }
    }

    /** A one-byte format then the low {@code n} bytes of {@code v}, big-endian. */
    private void putBE(int format, long v, int n) {
        if (scalar(1 + n)) {
            buf[len++] = (byte) format;
            for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (v >>> shift);
            }
        }
    }

    /** Counts n bytes of the encoding; over the limit, nothing more is stored. */
    private void account(long n) {
        total += n;
        if (total > limit) {
            storing = false;
        }
    }

    /** Accounts n bytes; true when they are to be stored, with room for them in the buffer. */
    private boolean reserve(long n) {
        account(n);
        if (!storing) {
            return false;
        }
        if (buf.length - len < n) {
            // Headers are not in the buffer, so it never needs more than the limit.
            long wanted = Math.max(len + n, Math.min(2L * buf.length, limit));
            buf = Arrays.copyOf(buf, (int) Math.min(wanted, MAX_ARRAY));
        }
        return true;
    }

    private void writeStr(byte[] utf8, int off, int n) {
        writeStrHeader(n);
        System.arraycopy(utf8, off, buf, len, n);
        len += n;
    }

    private void writeStrHeader(int n) {
        if (n < 32) {
            buf[len++] = (byte) (0xa0 | n);
        } else if (n <= 0xff) {
            buf[len++] = (byte) 0xd9;
            buf[len++] = (byte) n;
        } else if (n <= 0xffff) {
            buf[len++] = (byte) 0xda;
            buf[len++] = (byte) (n >>> 8);
            buf[len++] = (byte) n;
        } else {
            buf[len++] = (byte) 0xdb;
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (n >>> shift);
            }
        }
    }

    static int strHeaderSize(long n) {
        return n < 32 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 5;
    }

    static int arrayHeaderSize(long n) {
        return n < 16 ? 1 : n <= 0xffff ? 3 : 5;
    }

    static int mapHeaderSize(long n) {
        return arrayHeaderSize(n);
    }

    /** Writes a map or array header of {@code n} elements at {@code at}; returns the position after it. */
    private static int writeHeader(byte[] out, int at, long n, boolean map) {
        if (n < 16) {
            out[at++] = (byte) ((map ? 0x80 : 0x90) | (int) n);
            return at;
        }
        int width = n <= 0xffff ? 2 : 4;
        out[at++] = (byte) (map ? (width == 2 ? 0xde : 0xdf) : (width == 2 ? 0xdc : 0xdd));
        for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
            out[at++] = (byte) (n >>> shift);
        }
        return at;
    }
}
