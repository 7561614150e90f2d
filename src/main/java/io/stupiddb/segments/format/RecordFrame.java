package io.stupiddb.segments.format;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One document record (docs/FORMAT.md, "Records"). Static accessors over a {@link MemorySegment}
 * so readers of mapped files, recovery and the active segment's positional reads share one
 * decoder and allocate nothing per record.
 *
 * <pre>
 * offset  size  field
 *      0     4  body length L    u32, bytes from offset 8 to the end of the record
 *      4     4  CRC32C           over the 4 length bytes and the L body bytes
 *      8     1  flags            bit 0: payload is a zstd frame
 *      9    16  document id      UUIDv7, most significant half first
 *     25     8  timestamp        i64 epoch milliseconds (event time)
 *     33     4  raw length       u32, MessagePack bytes after decompression
 *     37  L-29  payload          MessagePack map (or its zstd frame)
 * </pre>
 *
 * The length is covered by the checksum, so a flipped length bit is detected instead of
 * sending the reader to a wrong offset.
 */
public final class RecordFrame {
    public static final int PREFIX = 8;
    public static final int BODY_HEADER = 29;
    /** Frame bytes in front of the payload. */
    public static final int OVERHEAD = PREFIX + BODY_HEADER;

    public static final int FLAG_COMPRESSED = 1;
    /** Larger payloads are refused by the writer and reported as corruption by readers. */
    public static final int MAX_PAYLOAD = 64 << 20;

    /** {@link #check} result: the bytes end before the record does (a torn write). */
    public static final long TORN = -1;
    /** {@link #check} result: the length field is impossible. */
    public static final long BAD_LENGTH = -2;
    /** {@link #check} result: the checksum does not match. */
    public static final long BAD_CHECKSUM = -3;
    /** {@link #check} result: flags or raw length are impossible although the checksum matched. */
    public static final long BAD_FIELDS = -4;

    private RecordFrame() {}

    /**
     * Verifies the record at {@code offset}; bytes at or after {@code limit} do not belong to it.
     *
     * @return the record's total length, or {@link #TORN}, {@link #BAD_LENGTH}, {@link #BAD_CHECKSUM},
     *         {@link #BAD_FIELDS}
     */
    public static long check(MemorySegment data, long offset, long limit) {
        if (offset + PREFIX > limit) {
            return TORN;
        }
        long body = Integer.toUnsignedLong(data.get(Layouts.INT, offset));
        if (body < BODY_HEADER + 1 || body > BODY_HEADER + (long) MAX_PAYLOAD) {
            return BAD_LENGTH;
        }
        if (offset + PREFIX + body > limit) {
            return TORN;
        }
        CRC32C crc = new CRC32C();
        Checksums.update(crc, data, offset, 4);
        Checksums.update(crc, data, offset + PREFIX, body);
        if ((int) crc.getValue() != data.get(Layouts.INT, offset + 4)) {
            return BAD_CHECKSUM;
        }
        int flags = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + 8));
        long raw = Integer.toUnsignedLong(data.get(Layouts.INT, offset + 33));
        boolean compressed = (flags & FLAG_COMPRESSED) != 0;
        if ((flags & ~FLAG_COMPRESSED) != 0
                || raw == 0
                || raw > MAX_PAYLOAD
                || (!compressed && raw != body - BODY_HEADER)) {
            return BAD_FIELDS;
        }
        return PREFIX + body;
    }

    /** A readable name for a negative {@link #check} result. */
    public static String describe(long status) {
        if (status == TORN) {
            return "record runs past the end of the data (torn write)";
        } else if (status == BAD_LENGTH) {
            return "impossible record length";
        } else if (status == BAD_CHECKSUM) {
            return "record checksum mismatch";
        } else if (status == BAD_FIELDS) {
            return "impossible record flags or raw length";
        }
        return "valid record of " + status + " bytes";
    }

    /** The body length field of the frame at {@code offset}, unchecked. */
    public static long bodyLength(MemorySegment data, long offset) {
        return Integer.toUnsignedLong(data.get(Layouts.INT, offset));
    }

    /** The flags byte of the frame at {@code offset}, unchecked. */
    public static int flags(MemorySegment data, long offset) {
        return Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, offset + 8));
    }

    public static boolean isCompressed(MemorySegment data, long offset) {
        return (data.get(ValueLayout.JAVA_BYTE, offset + 8) & FLAG_COMPRESSED) != 0;
    }

    public static long idMsb(MemorySegment data, long offset) {
        return data.get(Layouts.LONG, offset + 9);
    }

    public static long idLsb(MemorySegment data, long offset) {
        return data.get(Layouts.LONG, offset + 17);
    }

    public static long timestamp(MemorySegment data, long offset) {
        return data.get(Layouts.LONG, offset + 25);
    }

    public static int rawLength(MemorySegment data, long offset) {
        return data.get(Layouts.INT, offset + 33);
    }

    public static long payloadOffset(long offset) {
        return offset + OVERHEAD;
    }

    public static int payloadLength(MemorySegment data, long offset) {
        return data.get(Layouts.INT, offset) - BODY_HEADER;
    }

    /** Total length of the record whose (already checked) length field is at {@code offset}. */
    public static long totalLength(MemorySegment data, long offset) {
        return PREFIX + Integer.toUnsignedLong(data.get(Layouts.INT, offset));
    }

    /**
     * Appends one record to {@code out} (which must have {@code OVERHEAD + payloadLength} bytes left).
     *
     * @param rawLength the MessagePack length before compression
     */
    public static void write(
            ByteBuffer out,
            long idMsb,
            long idLsb,
            long timestamp,
            boolean compressed,
            int rawLength,
            byte[] payload,
            int payloadLength) {
        if (payloadLength < 1 || payloadLength > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload length out of range: " + payloadLength);
        }
        int start = out.position();
        int body = BODY_HEADER + payloadLength;
        out.putInt(body)
                .putInt(0)
                .put((byte) (compressed ? FLAG_COMPRESSED : 0))
                .putLong(idMsb)
                .putLong(idLsb)
                .putLong(timestamp)
                .putInt(rawLength)
                .put(payload, 0, payloadLength);
        CRC32C crc = new CRC32C();
        ByteBuffer view = out.duplicate();
        crc.update(view.limit(start + 4).position(start));
        view = out.duplicate();
        crc.update(view.limit(start + PREFIX + body).position(start + PREFIX));
        out.putInt(start + 4, (int) crc.getValue());
    }
}
