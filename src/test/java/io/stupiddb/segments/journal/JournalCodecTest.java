package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the byte layout of docs/JOURNAL.md: a change here is a format change and bumps the version. */
class JournalCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void headerLayout() {
        ByteBuffer header = JournalCodec.header(4711);
        assertEquals("53444a4c" + "01000000" + "0000000000001267", HEX.formatHex(bytes(header)));
        assertNull(JournalCodec.checkHeader(header, 4711));
        assertTrue(JournalCodec.checkHeader(header, 4712).contains("file name says 4712"));
        assertTrue(JournalCodec.checkHeader(ByteBuffer.wrap(new byte[16]), 1).contains("magic"));
        assertTrue(JournalCodec.checkHeader(ByteBuffer.wrap(new byte[3]), 1).contains("shorter"));
    }

    @Test
    void goldenEvictedFrame() {
        LifecycleEvent event = new LifecycleEvent(
                5,
                LifecycleEventType.SEGMENT_EVICTED,
                "seg-1",
                Instant.ofEpochMilli(0x0102030405L),
                EvictionReason.SIZE,
                null,
                10L,
                null,
                3);
        String payload = "01" + "03" + "02" + "01" // version, type, reason, flags (min only)
                + "0000000000000005" // seq
                + "0000000102030405" // at
                + "000000000000000a" // minTimestamp
                + "0000000000000000" // maxTimestamp (absent)
                + "0000000000000003" // documents
                + "0005" + HEX.formatHex("seg-1".getBytes()) // segment
                + "0000"; // detail (absent)
        ByteBuffer frame = JournalCodec.frame(event);
        String hex = HEX.formatHex(bytes(frame));
        assertEquals(String.format("%08x", payload.length() / 2), hex.substring(0, 8));
        assertEquals(payload, hex.substring(16));
        ByteBuffer payloadBytes = ByteBuffer.wrap(HEX.parseHex(payload));
        assertEquals(String.format("%08x", JournalCodec.crc(payloadBytes)), hex.substring(8, 16));
        assertEquals(event, JournalCodec.decode(payloadBytes));
    }

    @Test
    void goldenDamagedFrameIsPayloadVersionTwoWithTheIdsAfterTheDetail() {
        LifecycleEvent event = new LifecycleEvent(
                6,
                LifecycleEventType.DOCUMENTS_DAMAGED,
                "s",
                Instant.ofEpochMilli(1),
                null,
                "x",
                null,
                null,
                2,
                List.of(new UUID(1, 2), new UUID(3, 4)));
        String payload = "02" + "07" + "00" + "04" // payload version 2 (ids), type 7, reason, flags (detail)
                + "0000000000000006" // seq
                + "0000000000000001" // at
                + "0000000000000000" // minTimestamp (absent)
                + "0000000000000000" // maxTimestamp (absent)
                + "0000000000000002" // documents
                + "0001" + "73" // segment
                + "0001" + "78" // detail
                + "00000002" // ids
                + "0000000000000001" + "0000000000000002"
                + "0000000000000003" + "0000000000000004";
        ByteBuffer frame = JournalCodec.frame(event);
        assertEquals(payload, HEX.formatHex(bytes(frame)).substring(16));
        assertEquals(event, JournalCodec.decode(ByteBuffer.wrap(HEX.parseHex(payload))));
        // a count larger than the bytes that follow
        byte[] overrun = HEX.parseHex(payload);
        overrun[overrun.length - 33] = 3;
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(ByteBuffer.wrap(overrun)));
    }

    @Test
    void everyFieldRoundTrips() {
        for (LifecycleEventType type : LifecycleEventType.values()) {
            EvictionReason reason = type == LifecycleEventType.SEGMENT_EVICTED ? EvictionReason.RETENTION : null;
            boolean deleted =
                    type == LifecycleEventType.DOCUMENTS_DELETED || type == LifecycleEventType.DOCUMENTS_DAMAGED;
            List<UUID> ids = deleted ? List.of(new UUID(-1, 0), new UUID(1, -1)) : List.of();
            LifecycleEvent event = new LifecycleEvent(
                    Long.MAX_VALUE,
                    type,
                    "s-ü-" + type,
                    Instant.ofEpochMilli(-5),
                    reason,
                    "détail \uD83D\uDE00",
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    deleted ? 2 : Long.MAX_VALUE,
                    ids);
            ByteBuffer frame = JournalCodec.frame(event);
            assertEquals(event, JournalCodec.decode(frame.position(JournalCodec.FRAME_OVERHEAD)));
        }
    }

    @Test
    void goldenDeletedFrameIsPayloadVersionTwoWithTheIdsAppended() {
        UUID id = new UUID(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
        LifecycleEvent event = new LifecycleEvent(
                7,
                LifecycleEventType.DOCUMENTS_DELETED,
                "s",
                Instant.ofEpochMilli(1),
                null,
                null,
                null,
                null,
                1,
                List.of(id));
        String payload = "02" + "05" + "00" + "00" // version 2, type DOCUMENTS_DELETED, no reason, no flags
                + "0000000000000007" // seq
                + "0000000000000001" // at
                + "0000000000000000" // minTimestamp (absent)
                + "0000000000000000" // maxTimestamp (absent)
                + "0000000000000001" // documents
                + "0001" + HEX.formatHex("s".getBytes()) // segment
                + "0000" // detail (absent)
                + "00000001" // id count
                + "0102030405060708090a0b0c0d0e0f10"; // the id
        String hex = HEX.formatHex(bytes(JournalCodec.frame(event)));
        assertEquals(payload, hex.substring(16));
        assertEquals(event, JournalCodec.decode(ByteBuffer.wrap(HEX.parseHex(payload))));
        byte[] zeroIds = HEX.parseHex(payload.substring(0, payload.length() - 40) + "00000000");
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(ByteBuffer.wrap(zeroIds)));
        byte[] overrun = HEX.parseHex(payload.substring(0, payload.length() - 40) + "00000002" + "00".repeat(16));
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(ByteBuffer.wrap(overrun)));
    }

    @Test
    void theLargestDeletedEventFitsAFrame() {
        List<UUID> ids = new java.util.ArrayList<>();
        for (int i = 0; i < LifecycleEvent.MAX_IDS; i++) {
            ids.add(new UUID(i, i));
        }
        LifecycleEvent event = new LifecycleEvent(
                1,
                LifecycleEventType.DOCUMENTS_DELETED,
                "x".repeat(LifecycleEvent.MAX_SEGMENT_LENGTH),
                Instant.EPOCH,
                null,
                null,
                null,
                null,
                ids.size(),
                ids);
        ByteBuffer frame = JournalCodec.frame(event);
        assertTrue(frame.remaining() - JournalCodec.FRAME_OVERHEAD <= JournalCodec.MAX_PAYLOAD);
        assertEquals(event, JournalCodec.decode(frame.position(JournalCodec.FRAME_OVERHEAD)));
        List<UUID> tooMany = new java.util.ArrayList<>(ids);
        tooMany.add(new UUID(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> LifecycleEvent.Draft.documentsDeleted("x", tooMany));
        assertThrows(IllegalArgumentException.class, () -> LifecycleEvent.Draft.documentsDeleted("x", List.of()));
    }

    @Test
    void smallestFrameIsMinFrameBytes() {
        LifecycleEvent event =
                new LifecycleEvent(1, LifecycleEventType.SEGMENT_SEALED, "a", Instant.EPOCH, null, null, null, null, 0);
        assertEquals(JournalCodec.MIN_FRAME_BYTES, JournalCodec.frame(event).remaining());
    }

    @Test
    void rejectsInvalidPayloads() {
        LifecycleEvent event =
                new LifecycleEvent(1, LifecycleEventType.SEGMENT_SEALED, "a", Instant.EPOCH, null, null, null, null, 0);
        byte[] payload = bytes(JournalCodec.frame(event).position(JournalCodec.FRAME_OVERHEAD));
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(mutate(payload, 0, 2))); // version
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(mutate(payload, 1, 9))); // type
        assertThrows(
                IllegalArgumentException.class, () -> JournalCodec.decode(mutate(payload, 2, 1))); // reason on SEALED
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(mutate(payload, 3, 16))); // flags
        // ids announced but absent, and ids on a type that names none
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(mutate(payload, 3, 8)));
        byte[] withIds = java.util.Arrays.copyOf(payload, payload.length + 20);
        withIds[3] = 8;
        ByteBuffer.wrap(withIds).putInt(payload.length, 1);
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(ByteBuffer.wrap(withIds)));
        byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 1);
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(ByteBuffer.wrap(longer)));
        byte[] shorter = java.util.Arrays.copyOf(payload, payload.length - 1);
        assertThrows(IllegalArgumentException.class, () -> JournalCodec.decode(ByteBuffer.wrap(shorter)));
    }

    private static ByteBuffer mutate(byte[] payload, int index, int value) {
        byte[] copy = payload.clone();
        copy[index] = (byte) value;
        return ByteBuffer.wrap(copy);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
