package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RecordFrame}: write and read back every field, and each kind of damage reported as such. */
class RecordFrameTest {
    private static final byte[] PAYLOAD = "\u0081\u00a1a\u0001 msgpack-ish".getBytes(StandardCharsets.ISO_8859_1);
    private static final long MSB = 0x019A_0000_0000_7000L;
    private static final long LSB = 0x8000_0000_0000_0042L;
    private static final long TIMESTAMP = 1_764_000_000_123L;

    @Test
    void writtenRecordReadsBackFieldByField() {
        int offset = 11; // records start anywhere in a file
        byte[] bytes = new byte[offset + RecordFrame.OVERHEAD + PAYLOAD.length + 5];
        ByteBuffer out = ByteBuffer.wrap(bytes).position(offset);
        RecordFrame.write(out, MSB, LSB, TIMESTAMP, false, PAYLOAD.length, PAYLOAD, PAYLOAD.length);
        assertEquals(offset + RecordFrame.OVERHEAD + PAYLOAD.length, out.position());
        MemorySegment data = MemorySegment.ofArray(bytes);
        long total = RecordFrame.OVERHEAD + PAYLOAD.length;
        assertEquals(total, RecordFrame.check(data, offset, bytes.length));
        assertEquals(total, RecordFrame.totalLength(data, offset));
        assertEquals(total - RecordFrame.PREFIX, RecordFrame.bodyLength(data, offset));
        assertEquals(0, RecordFrame.flags(data, offset));
        assertEquals(false, RecordFrame.isCompressed(data, offset));
        assertEquals(MSB, RecordFrame.idMsb(data, offset));
        assertEquals(LSB, RecordFrame.idLsb(data, offset));
        assertEquals(TIMESTAMP, RecordFrame.timestamp(data, offset));
        assertEquals(PAYLOAD.length, RecordFrame.rawLength(data, offset));
        assertEquals(PAYLOAD.length, RecordFrame.payloadLength(data, offset));
        long payloadAt = RecordFrame.payloadOffset(offset);
        assertEquals(offset + RecordFrame.OVERHEAD, payloadAt);
        assertTrue(
                Arrays.equals(PAYLOAD, Arrays.copyOfRange(bytes, (int) payloadAt, (int) payloadAt + PAYLOAD.length)));
    }

    @Test
    void aCompressedRecordKeepsItsRawLength() {
        byte[] bytes = record(true, 1000, PAYLOAD);
        MemorySegment data = MemorySegment.ofArray(bytes);
        assertEquals(bytes.length, RecordFrame.check(data, 0, bytes.length));
        assertTrue(RecordFrame.isCompressed(data, 0));
        assertEquals(RecordFrame.FLAG_COMPRESSED, RecordFrame.flags(data, 0));
        assertEquals(1000, RecordFrame.rawLength(data, 0));
    }

    @Test
    void onlyThePayloadLengthGivenIsWritten() {
        byte[] padded = Arrays.copyOf(PAYLOAD, PAYLOAD.length + 10);
        ByteBuffer out = ByteBuffer.allocate(RecordFrame.OVERHEAD + PAYLOAD.length);
        RecordFrame.write(out, MSB, LSB, TIMESTAMP, false, PAYLOAD.length, padded, PAYLOAD.length);
        assertEquals(out.capacity(), RecordFrame.check(MemorySegment.ofArray(out.array()), 0, out.capacity()));
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] bytes = record(false, PAYLOAD.length, PAYLOAD);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] damaged = bytes.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            long status = RecordFrame.check(MemorySegment.ofArray(damaged), 0, damaged.length);
            assertTrue(status < 0, "bit " + bit + ": " + RecordFrame.describe(status));
        }
    }

    @Test
    void aRecordCutShortIsTorn() {
        byte[] bytes = record(false, PAYLOAD.length, PAYLOAD);
        MemorySegment data = MemorySegment.ofArray(bytes);
        for (int limit = 0; limit < bytes.length; limit++) {
            assertEquals(RecordFrame.TORN, RecordFrame.check(data, 0, limit), "limit " + limit);
        }
    }

    @Test
    void impossibleLengthsAreReportedBeforeTheChecksum() {
        byte[] bytes = record(false, PAYLOAD.length, PAYLOAD);
        ByteBuffer.wrap(bytes).putInt(0, RecordFrame.BODY_HEADER); // no payload byte
        assertEquals(RecordFrame.BAD_LENGTH, RecordFrame.check(MemorySegment.ofArray(bytes), 0, bytes.length));
        ByteBuffer.wrap(bytes).putInt(0, -1); // 4 GiB
        assertEquals(RecordFrame.BAD_LENGTH, RecordFrame.check(MemorySegment.ofArray(bytes), 0, bytes.length));
    }

    @Test
    void impossibleFieldsBehindAGoodChecksumAreBadFields() {
        byte[] rawMismatch = record(false, PAYLOAD.length + 1, PAYLOAD);
        assertEquals(
                RecordFrame.BAD_FIELDS,
                RecordFrame.check(MemorySegment.ofArray(rawMismatch), 0, rawMismatch.length),
                "uncompressed, yet raw length differs from the payload");
        byte[] rawZero = record(true, 0, PAYLOAD);
        assertEquals(RecordFrame.BAD_FIELDS, RecordFrame.check(MemorySegment.ofArray(rawZero), 0, rawZero.length));
        byte[] rawHuge = record(true, RecordFrame.MAX_PAYLOAD + 1, PAYLOAD);
        assertEquals(RecordFrame.BAD_FIELDS, RecordFrame.check(MemorySegment.ofArray(rawHuge), 0, rawHuge.length));
    }

    @Test
    void theWriterRefusesEmptyAndOversizedPayloads() {
        ByteBuffer out = ByteBuffer.allocate(RecordFrame.OVERHEAD + 1);
        assertThrows(
                IllegalArgumentException.class,
                () -> RecordFrame.write(out, MSB, LSB, TIMESTAMP, false, 0, new byte[0], 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> RecordFrame.write(out, MSB, LSB, TIMESTAMP, false, 1, new byte[1], RecordFrame.MAX_PAYLOAD + 1));
    }

    @Test
    void everyStatusHasAName() {
        assertTrue(RecordFrame.describe(RecordFrame.TORN).contains("torn"));
        assertTrue(RecordFrame.describe(RecordFrame.BAD_LENGTH).contains("length"));
        assertTrue(RecordFrame.describe(RecordFrame.BAD_CHECKSUM).contains("checksum"));
        assertTrue(RecordFrame.describe(RecordFrame.BAD_FIELDS).contains("flags"));
        assertEquals("valid record of 50 bytes", RecordFrame.describe(50));
    }

    private static byte[] record(boolean compressed, int rawLength, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(RecordFrame.OVERHEAD + payload.length);
        RecordFrame.write(out, MSB, LSB, TIMESTAMP, compressed, rawLength, payload, payload.length);
        return out.array();
    }
}
