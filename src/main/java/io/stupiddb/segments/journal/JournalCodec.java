package io.stupiddb.segments.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Byte layout of journal files (docs/JOURNAL.md): the file header, the record frame and the
 * version 1 event payload. All integers big-endian. Pure functions, thread-safe.
 *
 * <pre>
 * header (16 bytes):  u32 magic "SDJL" | u8 version=1 | 3 bytes zero | u64 firstSeq
 * frame:              u32 payloadLength | u32 crc32c(payload) | payload
 * payload v1:         u8 version=1 | u8 type | u8 reason | u8 flags
 *                     | i64 seq | i64 atMillis | i64 minTimestamp | i64 maxTimestamp | i64 documents
 *                     | u16 n | n bytes segment (UTF-8) | u16 m | m bytes detail (UTF-8)
 * payload v2:         the v1 layout with version=2, then u32 k | k × 16 bytes ids (msb, lsb);
 *                     written only for events with ids (DOCUMENTS_DELETED, DOCUMENTS_DAMAGED), so every other event
 *                     stays readable by older builds
 * </pre>
 */
final class JournalCodec {

    static final int MAGIC = 0x53444A4C; // "SDJL"
    static final byte FILE_VERSION = 1;
    static final int HEADER_BYTES = 16;

    static final int FRAME_OVERHEAD = 8;
    /**
     * Largest payload a reader accepts; a v1 payload is at most a few KiB, a v2 one at most
     * {@link LifecycleEvent#MAX_IDS} × 16 bytes more.
     */
    static final int MAX_PAYLOAD = 256 * 1024;

    static final byte PAYLOAD_VERSION = 1;
    static final byte PAYLOAD_VERSION_IDS = 2;
    private static final int PAYLOAD_FIXED = 4 + 5 * Long.BYTES + 2 + 2;
    /** Smallest possible frame: fixed payload part plus a one-byte segment id. */
    static final int MIN_FRAME_BYTES = FRAME_OVERHEAD + PAYLOAD_FIXED + 1;

    private static final int FLAG_MIN = 1;
    private static final int FLAG_MAX = 2;
    private static final int FLAG_DETAIL = 4;

    private JournalCodec() {}

    /**
     * Header mark (bytes 5-7 = "CUT"): this file was started right after recovery cut a damaged or torn record off
     * the end of the previous file. The seq that record may have carried is skipped (the file
     * starts one further), so a seq a consumer may have seen is never given to another event.
     */
    private static final byte[] AFTER_CUT = {'C', 'U', 'T'};

    static ByteBuffer header(long firstSeq) {
        return header(firstSeq, false);
    }

    static ByteBuffer header(long firstSeq, boolean afterCut) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        // Three bytes, not one bit: the header has no checksum, and no single flipped bit may
        // turn the mark on (or off) unnoticed.
        b.putInt(MAGIC)
                .put(FILE_VERSION)
                .put(afterCut ? AFTER_CUT : new byte[3])
                .putLong(firstSeq);
        return b.flip();
    }

    /** Whether a (checked) header carries the after-cut mark. */
    static boolean afterCut(ByteBuffer header) {
        int p = header.position();
        return header.get(p + 5) == AFTER_CUT[0]
                && header.get(p + 6) == AFTER_CUT[1]
                && header.get(p + 7) == AFTER_CUT[2];
    }

    /** Null when the header is valid for {@code expectedFirstSeq}, else what is wrong. */
    static String checkHeader(ByteBuffer b, long expectedFirstSeq) {
        if (b.remaining() < HEADER_BYTES) {
            return "file shorter than its " + HEADER_BYTES + "-byte header";
        }
        int p = b.position();
        if (b.getInt(p) != MAGIC) {
            return "bad magic (not a journal file)";
        }
        if (b.get(p + 4) != FILE_VERSION) {
            return "unsupported journal file version " + (b.get(p + 4) & 0xFF) + " (this build reads " + FILE_VERSION
                    + "; written by a newer version?)";
        }
        boolean zero = b.get(p + 5) == 0 && b.get(p + 6) == 0 && b.get(p + 7) == 0;
        if (!zero && !afterCut(b)) {
            return "reserved header bytes are neither zero nor the after-cut mark";
        }
        long firstSeq = b.getLong(p + 8);
        if (firstSeq != expectedFirstSeq) {
            return "header says first seq " + firstSeq + " but the file name says " + expectedFirstSeq;
        }
        return null;
    }

    static int crc(ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    /** The complete frame (length, checksum, payload) of {@code event}, ready to write. */
    static ByteBuffer frame(LifecycleEvent event) {
        byte[] segment = event.segment().getBytes(StandardCharsets.UTF_8);
        byte[] detail = event.detail() == null ? new byte[0] : event.detail().getBytes(StandardCharsets.UTF_8);
        boolean withIds = !event.ids().isEmpty();
        int payloadLength = PAYLOAD_FIXED
                + segment.length
                + detail.length
                + (withIds ? Integer.BYTES + 16 * event.ids().size() : 0);
        ByteBuffer b = ByteBuffer.allocate(FRAME_OVERHEAD + payloadLength);
        b.position(FRAME_OVERHEAD);
        int flags = (event.minTimestamp() != null ? FLAG_MIN : 0)
                | (event.maxTimestamp() != null ? FLAG_MAX : 0)
                | (event.detail() != null ? FLAG_DETAIL : 0);
        b.put(withIds ? PAYLOAD_VERSION_IDS : PAYLOAD_VERSION)
                .put(typeCode(event.type()))
                .put(reasonCode(event.reason()))
                .put((byte) flags)
                .putLong(event.seq())
                .putLong(event.at().toEpochMilli())
                .putLong(event.minTimestamp() != null ? event.minTimestamp() : 0L)
                .putLong(event.maxTimestamp() != null ? event.maxTimestamp() : 0L)
                .putLong(event.documents())
                .putShort((short) segment.length)
                .put(segment)
                .putShort((short) detail.length)
                .put(detail);
        if (withIds) {
            b.putInt(event.ids().size());
            for (UUID id : event.ids()) {
                b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
            }
        }
        b.flip();
        int crc = crc(b.duplicate().position(FRAME_OVERHEAD));
        b.putInt(0, payloadLength).putInt(4, crc);
        return b;
    }

    /**
     * Decodes a checksummed payload.
     *
     * @throws IllegalArgumentException when the payload is not a valid v1 event; the message says why
     */
    static LifecycleEvent decode(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate();
        if (b.remaining() < PAYLOAD_FIXED) {
            throw new IllegalArgumentException("payload of " + b.remaining() + " bytes is too short");
        }
        byte version = b.get();
        if (version != PAYLOAD_VERSION && version != PAYLOAD_VERSION_IDS) {
            throw new IllegalArgumentException(
                    "unsupported event payload version " + (version & 0xFF) + " (written by a newer version?)");
        }
        LifecycleEventType type = typeOf(b.get());
        EvictionReason reason = reasonOf(b.get());
        int flags = b.get() & 0xFF;
        if ((flags & ~(FLAG_MIN | FLAG_MAX | FLAG_DETAIL)) != 0) {
            throw new IllegalArgumentException("unknown flags 0x" + Integer.toHexString(flags));
        }
        long seq = b.getLong();
        long at = b.getLong();
        long min = b.getLong();
        long max = b.getLong();
        long documents = b.getLong();
        String segment = string(b);
        String detail = string(b);
        List<UUID> ids = version == PAYLOAD_VERSION_IDS ? ids(b) : List.of();
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " unexpected bytes after the event");
        }
        return new LifecycleEvent(
                seq,
                type,
                segment,
                Instant.ofEpochMilli(at),
                reason,
                (flags & FLAG_DETAIL) != 0 ? detail : null,
                (flags & FLAG_MIN) != 0 ? min : null,
                (flags & FLAG_MAX) != 0 ? max : null,
                documents,
                ids);
    }

    private static List<UUID> ids(ByteBuffer b) {
        if (b.remaining() < Integer.BYTES) {
            throw new IllegalArgumentException("payload ends inside the id count");
        }
        int k = b.getInt();
        if (k < 1 || k > LifecycleEvent.MAX_IDS || (long) k * 16 > b.remaining()) {
            throw new IllegalArgumentException(
                    "id count " + k + " is outside 1.." + LifecycleEvent.MAX_IDS + " or overruns the payload");
        }
        List<UUID> ids = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            ids.add(new UUID(b.getLong(), b.getLong()));
        }
        return ids;
    }

    private static String string(ByteBuffer b) {
        if (b.remaining() < 2) {
            throw new IllegalArgumentException("payload ends inside a string length");
        }
        int n = Short.toUnsignedInt(b.getShort());
        if (n > b.remaining()) {
            throw new IllegalArgumentException("string of " + n + " bytes overruns the payload");
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte typeCode(LifecycleEventType type) {
        return switch (type) {
            case SEGMENT_SEALED -> 1;
            case SEGMENT_ARCHIVED -> 2;
            case SEGMENT_EVICTED -> 3;
            case SEGMENT_QUARANTINED -> 4;
            case DOCUMENTS_DELETED -> 5;
            case SEGMENT_REWRITTEN -> 6;
            case DOCUMENTS_DAMAGED -> 7;
        };
    }

    private static LifecycleEventType typeOf(byte code) {
        return switch (code) {
            case 1 -> LifecycleEventType.SEGMENT_SEALED;
            case 2 -> LifecycleEventType.SEGMENT_ARCHIVED;
            case 3 -> LifecycleEventType.SEGMENT_EVICTED;
            case 4 -> LifecycleEventType.SEGMENT_QUARANTINED;
            case 5 -> LifecycleEventType.DOCUMENTS_DELETED;
            case 6 -> LifecycleEventType.SEGMENT_REWRITTEN;
            case 7 -> LifecycleEventType.DOCUMENTS_DAMAGED;
            default -> throw new IllegalArgumentException("unknown event type code " + (code & 0xFF));
        };
    }

    private static byte reasonCode(EvictionReason reason) {
        if (reason == null) {
            return 0;
        }
        return switch (reason) {
            case RETENTION -> 1;
            case SIZE -> 2;
            case MANUAL -> 3;
        };
    }

    private static EvictionReason reasonOf(byte code) {
        return switch (code) {
            case 0 -> null;
            case 1 -> EvictionReason.RETENTION;
            case 2 -> EvictionReason.SIZE;
            case 3 -> EvictionReason.MANUAL;
            default -> throw new IllegalArgumentException("unknown eviction reason code " + (code & 0xFF));
        };
    }
}
