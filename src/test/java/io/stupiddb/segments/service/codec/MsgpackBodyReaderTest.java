package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.OptionalLong;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.pack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The MessagePack reader on its own: what it leaves in the state, and what it refuses. */
class MsgpackBodyReaderTest {

    private final DecodeState state = new DecodeState("ts", 1 << 20);
    private final MsgpackBodyReader reader = new MsgpackBodyReader(state);

    @Test
    void documentsAreReencodedMinimallyAndTheItemStackIsResetPerDocument() throws IOException {
        byte[] deep = pack(p -> p.packMapHeader(2)
                .packString("a")
                .packArrayHeader(2)
                .packMapHeader(1)
                .packString("b")
                .packArrayHeader(0)
                .packInt(1)
                .packString("ts")
                .packLong(9));
        byte[] flat = pack(p -> p.packMapHeader(1).packString("c").packString("d"));
        // The same first document with non-minimal headers: map16 and int64 for small values.
        byte[] wide = Bodies.concat(
                Bodies.bytes(0x92, 0xde, 0x00, 0x02),
                slice(deep, 1, 7),
                Bodies.bytes(0xd3, 0, 0, 0, 0, 0, 0, 0, 1),
                slice(deep, deep.length - 4, 4),
                flat);
        reader.read(new ByteArrayInputStream(wide));
        assertEquals(2, state.documentCount());
        assertArrayEquals(deep, state.documents().get(0).source());
        assertEquals(OptionalLong.of(9), state.documents().get(0).timestamp());
        assertArrayEquals(flat, state.documents().get(1).source());
    }

    @Test
    void aUint64EventTimeFitsOnlyWithinInt64() throws IOException {
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        reader.read(new ByteArrayInputStream(
                pack(p -> p.packMapHeader(1).packString("ts").packBigInteger(max))));
        assertEquals(
                OptionalLong.of(Long.MAX_VALUE), state.documents().getFirst().timestamp());
        var e = assertThrows(
                InvalidDocumentException.class,
                () -> new MsgpackBodyReader(new DecodeState("ts", 1 << 20))
                        .read(new ByteArrayInputStream(pack(
                                p -> p.packMapHeader(1).packString("ts").packBigInteger(max.add(BigInteger.ONE))))));
        assertInvalid(e, Kind.BAD_TIMESTAMP, 0, "field 'ts': epoch milliseconds 9223372036854775808 are out of range");
    }

    @Test
    void aKeyLongerThanADocumentIsSkippedAndTheDocumentIsTooLarge() {
        DecodeState small = new DecodeState("ts", 64);
        byte[] body = pack(p -> p.packMapHeader(1).packString("k".repeat(100)).packInt(1));
        var e = assertThrows(
                InvalidDocumentException.class,
                () -> new MsgpackBodyReader(small).read(new ByteArrayInputStream(body)));
        assertInvalid(e, Kind.TOO_LARGE, 0, "larger than segments.max-document-size (64)");
    }

    @Test
    void aTimestampStringTooLongForADateIsRefusedBeforeItIsRead() {
        byte[] body = pack(p -> p.packMapHeader(1).packString("ts").packString("9".repeat(2000)));
        var e = assertThrows(InvalidDocumentException.class, () -> reader.read(new ByteArrayInputStream(body)));
        assertInvalid(e, Kind.BAD_TIMESTAMP, 0, "field 'ts' is a string of 2000 bytes, not an RFC 3339 date-time");
    }

    @Test
    void aDuplicateKeyHasNoLocationBeyondItsElement() {
        byte[] body = pack(p -> p.packArrayHeader(2)
                .packMapHeader(0)
                .packMapHeader(2)
                .packString("a")
                .packInt(1)
                .packString("a")
                .packInt(2));
        var e = assertThrows(InvalidDocumentException.class, () -> reader.read(new ByteArrayInputStream(body)));
        assertEquals("element 1: duplicate key 'a'", e.getMessage());
    }

    private static byte[] slice(byte[] b, int from, int n) {
        byte[] out = new byte[n];
        System.arraycopy(b, from, out, 0, n);
        return out;
    }
}
