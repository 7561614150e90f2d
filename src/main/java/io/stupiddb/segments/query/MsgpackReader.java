package io.stupiddb.segments.query;

import java.nio.ByteBuffer;

/**
 * A forward-only reader of MessagePack over a {@link ByteBuffer}, just enough to walk a document
 * for {@link Filter#matches(ByteBuffer)}: headers, scalars, and skipping whole values.
 *
 * <p>Why not msgpack-core's {@code MessageUnpacker}: on Java 25 it cannot read direct buffers
 * without {@code --add-opens} (it reaches into {@code sun.nio.ch.DirectBuffer} and
 * {@code sun.misc.Unsafe}) and rejects read-only heap buffers, while sealed segments are read-only
 * memory maps; it also allocates per call. This reader only uses absolute {@code get}s, so it
 * works on heap, direct, read-only and {@code MemorySegment}-backed buffers alike, allocates
 * nothing, and never moves the buffer's own position.
 *
 * <p>Invariant: {@code 0 <= pos <= limit}; every read is bounds-checked against {@code limit}
 * and malformed or truncated input fails with {@link IllegalArgumentException}, never with an
 * out-of-bounds read. {@link #skipValue()} is iterative, so deeply nested documents cannot
 * overflow the stack.
 *
 * <p>Not thread-safe: one reader per evaluation.
 */
final class MsgpackReader {

    private final ByteBuffer buf;
    private final int limit;
    private int pos;

    /** Reads {@code buffer[offset, offset + length)}; the buffer's position and limit are ignored. */
    MsgpackReader(ByteBuffer buffer, int offset, int length) {
        this.buf = buffer;
        this.pos = offset;
        this.limit = offset + length;
    }

    ByteBuffer buffer() {
        return buf;
    }

    int position() {
        return pos;
    }

    private int peekByte() {
        if (pos >= limit) {
            throw truncated();
        }
        return buf.get(pos) & 0xff;
    }

    private int u8() {
        int b = peekByte();
        pos++;
        return b;
    }

    private int u16() {
        need(2);
        int v = buf.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    private long u32() {
        need(4);
        long v = buf.getInt(pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    private long i64() {
        need(8);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    private void need(long n) {
        if (n > limit - pos) {
            throw truncated();
        }
    }

    /** Moves past {@code n} payload bytes. */
    void skipBytes(long n) {
        need(n);
        pos += (int) n;
    }

    boolean nextIsMap() {
        int b = peekByte();
        return (b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf;
    }

    boolean nextIsArray() {
        int b = peekByte();
        return (b >= 0x90 && b <= 0x9f) || b == 0xdc || b == 0xdd;
    }

    boolean nextIsString() {
        int b = peekByte();
        return (b >= 0xa0 && b <= 0xbf) || b == 0xd9 || b == 0xda || b == 0xdb;
    }

    /** Reads a map header; the caller has checked {@link #nextIsMap()}. Returns the entry count. */
    long readMapHeader() {
        int b = u8();
        if (b >= 0x80 && b <= 0x8f) {
            return b & 0x0f;
        }
        long n = switch (b) {
            case 0xde -> u16();
            case 0xdf -> u32();
            default -> throw malformed("expected a map", b);
        };
        // Each entry takes at least two bytes: a larger count is a lie that would make us loop.
        if (n > (limit - pos) / 2) {
            throw truncated();
        }
        return n;
    }

    /** Reads an array header; the caller has checked {@link #nextIsArray()}. */
    long readArrayHeader() {
        int b = u8();
        if (b >= 0x90 && b <= 0x9f) {
            return b & 0x0f;
        }
        long n = switch (b) {
            case 0xdc -> u16();
            case 0xdd -> u32();
            default -> throw malformed("expected an array", b);
        };
        if (n > limit - pos) {
            throw truncated();
        }
        return n;
    }

    /**
     * Reads a string header and checks the payload is there; the caller has checked
     * {@link #nextIsString()}. The payload starts at {@link #position()}.
     */
    int readStringHeader() {
        int b = u8();
        long n;
        if (b >= 0xa0 && b <= 0xbf) {
            n = b & 0x1f;
        } else {
            n = switch (b) {
                case 0xd9 -> u8();
                case 0xda -> u16();
                case 0xdb -> u32();
                default -> throw malformed("expected a string", b);
            };
        }
        need(n);
        return (int) n;
    }

    /**
     * Reads one value that is not a map or array into {@code out}: nil, boolean, integer, float,
     * string (as a byte range of the buffer), or OTHER for bin and ext.
     */
    void readScalar(Scalar out) {
        int b = u8();
        if (b <= 0x7f) {
            out.setLong(b);
            return;
        }
        if (b >= 0xe0) {
            out.setLong((byte) b);
            return;
        }
        if (b >= 0xa0 && b <= 0xbf) {
            stringPayload(out, b & 0x1f);
            return;
        }
        switch (b) {
            case 0xc0 -> out.setNil();
            case 0xc2 -> out.setBool(false);
            case 0xc3 -> out.setBool(true);
            case 0xcc -> out.setLong(u8());
            case 0xcd -> out.setLong(u16());
            case 0xce -> out.setLong(u32());
            case 0xcf -> out.setUnsigned(i64());
            case 0xd0 -> {
                need(1);
                out.setLong(buf.get(pos++));
            }
            case 0xd1 -> {
                need(2);
                out.setLong(buf.getShort(pos));
                pos += 2;
            }
            case 0xd2 -> {
                need(4);
                out.setLong(buf.getInt(pos));
                pos += 4;
            }
            case 0xd3 -> out.setLong(i64());
            case 0xca -> {
                need(4);
                out.setDouble(buf.getFloat(pos));
                pos += 4;
            }
            case 0xcb -> {
                need(8);
                out.setDouble(buf.getDouble(pos));
                pos += 8;
            }
            case 0xd9 -> stringPayload(out, u8());
            case 0xda -> stringPayload(out, u16());
            case 0xdb -> stringPayload(out, u32());
            default -> {
                pos--;
                skipValue();
                out.setOther();
            }
        }
    }

    private void stringPayload(Scalar out, long length) {
        need(length);
        out.setString(buf, pos, (int) length);
        pos += (int) length;
    }

    /**
     * Skips one complete value, however deeply nested, without recursion: {@code pending} counts
     * the values still to skip, and a container adds its elements to it.
     */
    void skipValue() {
        long pending = 1;
        while (pending > 0) {
            pending--;
            int b = u8();
            if (b <= 0x7f || b >= 0xe0) {
                continue;
            }
            if (b <= 0x8f) {
                pending += 2L * (b & 0x0f);
            } else if (b <= 0x9f) {
                pending += b & 0x0f;
            } else if (b <= 0xbf) {
                skipBytes(b & 0x1f);
            } else {
                switch (b) {
                    case 0xc0, 0xc2, 0xc3 -> {}
                    case 0xc4, 0xd9 -> skipBytes(u8());
                    case 0xc5, 0xda -> skipBytes(u16());
                    case 0xc6, 0xdb -> skipBytes(u32());
                    case 0xc7 -> skipBytes(u8() + 1L);
                    case 0xc8 -> skipBytes(u16() + 1L);
                    case 0xc9 -> skipBytes(u32() + 1L);
                    case 0xcc, 0xd0 -> skipBytes(1);
                    case 0xcd, 0xd1 -> skipBytes(2);
                    case 0xca, 0xce, 0xd2 -> skipBytes(4);
                    case 0xcb, 0xcf, 0xd3 -> skipBytes(8);
                    case 0xd4 -> skipBytes(2);
                    case 0xd5 -> skipBytes(3);
                    case 0xd6 -> skipBytes(5);
                    case 0xd7 -> skipBytes(9);
                    case 0xd8 -> skipBytes(17);
                    case 0xdc -> pending += u16();
                    case 0xdd -> pending += u32();
                    case 0xde -> pending += 2L * u16();
                    case 0xdf -> pending += 2L * u32();
                    default -> throw malformed("invalid type byte", b); // 0xc1, "never used"
                }
            }
            // Every pending value needs at least one byte: a larger count is corrupt input.
            if (pending > limit - pos) {
                throw truncated();
            }
        }
    }

    private IllegalArgumentException truncated() {
        return new IllegalArgumentException("malformed MessagePack document: truncated at byte " + pos);
    }

    private IllegalArgumentException malformed(String what, int b) {
        return new IllegalArgumentException("malformed MessagePack document: " + what + " at byte " + (pos - 1)
                + ", found 0x" + Integer.toHexString(b));
    }
}
