package io.stupiddb.segments.service.codec;

import java.util.Arrays;

/**
 * Writes one MessagePack value whose container sizes are not known up front (a JSON object's
 * entry count is known only at its end). Each open container collects its content in its own
 * buffer (one reused buffer per depth); at {@link #end()} the parent gets the minimal header and the
 * content. Bytes are thus copied once per nesting level, at most {@link DocumentDecoder#MAX_DEPTH}.
 *
 * <p>Size limit: the running total of all bytes written plus the headers of closed containers is a
 * lower bound of the final size. Once it exceeds the limit the builder stops storing bytes but keeps
 * counting, so {@link #size()} is still the exact encoded size and memory stays bounded by the limit.
 *
 * <p>Encoding is minimal (smallest int/str/array/map format), like msgpack-core's packer: positive
 * integers as fixint/uint, negative as negfixint/int. Not thread-safe (one per decode call).
 */
final class MsgpackBuilder {

    private final long limit;
    private final int maxDepth;
    private final Buf[] bufs;
    private final long[] counts;
    private final long[] sizes;
    private final boolean[] maps;
    private int level;
    private long total;
    private boolean discarding;

    MsgpackBuilder(long limit, int maxDepth) {
        this.limit = limit;
        this.maxDepth = maxDepth;
        this.bufs = new Buf[maxDepth + 1];
        this.counts = new long[maxDepth + 1];
        this.sizes = new long[maxDepth + 1];
        this.maps = new boolean[maxDepth + 1];
        for (int i = 0; i <= maxDepth; i++) {
            bufs[i] = new Buf();
        }
    }

    /** Starts a new document. */
    void reset() {
        level = 0;
        total = 0;
        discarding = false;
        counts[0] = 0;
        sizes[0] = 0;
        bufs[0].len = 0;
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
        level++;
        counts[level] = 0;
        sizes[level] = 0;
        maps[level] = map;
        bufs[level].len = 0;
    }

    /** Closes the innermost container: its header and content go to the parent. */
    void end() {
        int child = level;
        long n = counts[child];
        boolean map = maps[child];
        level--;
        int header = map ? mapHeaderSize(n) : arrayHeaderSize(n);
        long content = sizes[child];
        // The content is already in total; the header is new.
        sizes[level] += header + content;
        total += header;
        counts[level]++;
        if (total > limit) {
            discarding = true;
        }
        if (!discarding) {
            Buf to = bufs[level];
            if (map) {
                writeMapHeader(to, n);
            } else {
                writeArrayHeader(to, n);
            }
            to.write(bufs[child].bytes, 0, bufs[child].len);
        }
        bufs[child].len = 0;
    }

    /** A map key (not counted as an element). */
    void key(byte[] utf8) {
        if (reserve(strHeaderSize(utf8.length) + utf8.length)) {
            writeStr(bufs[level], utf8, 0, utf8.length);
        }
    }

    void string(byte[] utf8, int off, int len) {
        if (reserve(strHeaderSize(len) + len)) {
            writeStr(bufs[level], utf8, off, len);
        }
        counts[level]++;
    }

    /** A string (or key, when {@code isKey}) of {@code len} bytes that is not kept: the document is too large. */
    void oversizedString(long len, boolean isKey) {
        reserve(strHeaderSize(len) + len);
        discarding = true;
        if (!isKey) {
            counts[level]++;
        }
    }

    void nil() {
        scalar(1).put(0xc0);
    }

    void bool(boolean value) {
        scalar(1).put(value ? 0xc3 : 0xc2);
    }

    void integer(long v) {
        if (v >= 0) {
            unsigned(v);
        } else if (v >= -32) {
            scalar(1).put((int) v & 0xff);
        } else if (v >= Byte.MIN_VALUE) {
            scalar(2).put(0xd0).put((int) v & 0xff);
        } else if (v >= Short.MIN_VALUE) {
            scalar(3).put(0xd1).putBE(v, 2);
        } else if (v >= Integer.MIN_VALUE) {
            scalar(5).put(0xd2).putBE(v, 4);
        } else {
            scalar(9).put(0xd3).putBE(v, 8);
        }
    }

    /** An unsigned 64-bit integer given by its bits ({@code v} may be negative: values above Long.MAX_VALUE). */
    void uint64(long bits) {
        if (bits >= 0) {
            unsigned(bits);
        } else {
            scalar(9).put(0xcf).putBE(bits, 8);
        }
    }

    private void unsigned(long v) {
        if (v < 128) {
            scalar(1).put((int) v);
        } else if (v <= 0xff) {
            scalar(2).put(0xcc).put((int) v);
        } else if (v <= 0xffff) {
            scalar(3).put(0xcd).putBE(v, 2);
        } else if (v <= 0xffffffffL) {
            scalar(5).put(0xce).putBE(v, 4);
        } else {
            scalar(9).put(0xcf).putBE(v, 8);
        }
    }

    void float32(float v) {
        scalar(5).put(0xca).putBE(Float.floatToRawIntBits(v), 4);
    }

    void float64(double v) {
        scalar(9).put(0xcb).putBE(Double.doubleToRawLongBits(v), 8);
    }

    /** Exact encoded size of what was written (of the whole document once the root is closed). */
    long size() {
        return level == 0 ? sizes[0] : total;
    }

    /** Whether the document exceeded the limit (its bytes were not kept). */
    boolean tooLarge() {
        return discarding;
    }

    /** The finished document. */
    byte[] toByteArray() {
        if (level != 0 || discarding) {
            throw new IllegalStateException(level != 0 ? "open containers" : "document too large");
        }
        return Arrays.copyOf(bufs[0].bytes, bufs[0].len);
    }

    private Buf scalar(int n) {
        counts[level]++;
        return reserve(n) ? bufs[level] : Buf.SINK;
    }

    /** Accounts n bytes at the current level; true when they are to be stored. */
    private boolean reserve(long n) {
        sizes[level] += n;
        total += n;
        if (total > limit) {
            discarding = true;
        }
        return !discarding;
    }

    static int strHeaderSize(long len) {
        return len < 32 ? 1 : len <= 0xff ? 2 : len <= 0xffff ? 3 : 5;
    }

    static int arrayHeaderSize(long n) {
        return n < 16 ? 1 : n <= 0xffff ? 3 : 5;
    }

    static int mapHeaderSize(long n) {
        return arrayHeaderSize(n);
    }

    private static void writeStr(Buf to, byte[] utf8, int off, int len) {
        if (len < 32) {
            to.put(0xa0 | len);
        } else if (len <= 0xff) {
            to.put(0xd9).put(len);
        } else if (len <= 0xffff) {
            to.put(0xda).putBE(len, 2);
        } else {
            to.put(0xdb).putBE(len, 4);
        }
        to.write(utf8, off, len);
    }

    private static void writeArrayHeader(Buf to, long n) {
        if (n < 16) {
            to.put(0x90 | (int) n);
        } else if (n <= 0xffff) {
            to.put(0xdc).putBE(n, 2);
        } else {
            to.put(0xdd).putBE(n, 4);
        }
    }

    private static void writeMapHeader(Buf to, long n) {
        if (n < 16) {
            to.put(0x80 | (int) n);
        } else if (n <= 0xffff) {
            to.put(0xde).putBE(n, 2);
        } else {
            to.put(0xdf).putBE(n, 4);
        }
    }

    /** A growable byte array. {@link #SINK} drops everything. */
    static class Buf {
        static final Buf SINK = new Buf() {
            @Override
            Buf put(int b) {
                return this;
            }

            @Override
            Buf putBE(long v, int n) {
                return this;
            }

            @Override
            void write(byte[] src, int off, int n) {}
        };

        byte[] bytes = new byte[0];
        int len;

        Buf put(int b) {
            ensure(1);
            bytes[len++] = (byte) b;
            return this;
        }

        /** The low {@code n} bytes of {@code v}, big-endian. */
        Buf putBE(long v, int n) {
            ensure(n);
            for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
                bytes[len++] = (byte) (v >>> shift);
            }
            return this;
        }

        void write(byte[] src, int off, int n) {
            ensure(n);
            System.arraycopy(src, off, bytes, len, n);
            len += n;
        }

        private void ensure(int n) {
            if (bytes.length - len < n) {
                long wanted = Math.max((long) len + n, Math.max(64, 2L * bytes.length));
                bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
            }
        }
    }
}
