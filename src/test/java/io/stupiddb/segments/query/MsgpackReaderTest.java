package io.stupiddb.segments.query;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reader against msgpack-core's packer, format by format. */
class MsgpackReaderTest {

    /** One packed value, and where each value ends, so skipping can be checked exactly. */
    private interface Pack {
        void into(MessageBufferPacker packer) throws IOException;
    }

    @Test
    void integersOfEveryWidth() throws IOException {
        long[] values = {
            0,
            1,
            127,
            128,
            255,
            256,
            65_535,
            65_536,
            4_294_967_295L,
            4_294_967_296L,
            Long.MAX_VALUE,
            -1,
            -32,
            -33,
            -128,
            -129,
            -32_768,
            -32_769,
            Integer.MIN_VALUE,
            Integer.MIN_VALUE - 1L,
            Long.MIN_VALUE
        };
        for (long value : values) {
            Scalar scalar = readOne(p -> p.packLong(value));
            assertEquals(ValueKind.LONG, scalar.kind, () -> Long.toString(value));
            assertEquals(value, scalar.bits);
        }
        Scalar big = readOne(p -> p.packBigInteger(new BigInteger("18446744073709551615")));
        assertEquals(ValueKind.U64, big.kind);
        assertEquals(-1L, big.bits);
        Scalar fits = readOne(p -> p.packBigInteger(BigInteger.valueOf(5)));
        assertEquals(ValueKind.LONG, fits.kind);
        // uint64 format holding a small value is still a plain long
        Scalar wide = read(new byte[] {(byte) 0xcf, 0, 0, 0, 0, 0, 0, 0, 9});
        assertEquals(ValueKind.LONG, wide.kind);
        assertEquals(9, wide.bits);
    }

    @Test
    void floatsNilAndBooleans() throws IOException {
        Scalar f32 = readOne(p -> p.packFloat(1.5f));
        assertEquals(ValueKind.DOUBLE, f32.kind);
        assertEquals(1.5, f32.dbl);
        assertEquals(0.1f, (float) readOne(p -> p.packFloat(0.1f)).dbl);
        assertEquals(-0.1, readOne(p -> p.packDouble(-0.1)).dbl);
        assertEquals(ValueKind.NIL, readOne(MessageBufferPacker::packNil).kind);
        assertTrue(readOne(p -> p.packBoolean(true)).bool);
        assertFalse(readOne(p -> p.packBoolean(false)).bool);
    }

    @Test
    void stringsOfEveryWidthStayInTheBuffer() throws IOException {
        for (int length : new int[] {0, 31, 32, 255, 256, 65_535, 65_536}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            Scalar scalar = readOne(p -> p.packString(text));
            assertEquals(ValueKind.STRING, scalar.kind);
            assertEquals(utf8.length, scalar.textLength);
            assertTrue(Compare.utf8Equals(scalar.text, scalar.textOffset, scalar.textLength, utf8));
        }
    }

    @Test
    void binAndExtAreOther() throws IOException {
        for (int length : new int[] {0, 1, 2, 3, 4, 8, 16, 17, 255, 256, 65_536}) {
            assertEquals(
                    ValueKind.OTHER,
                    readOne(p -> {
                                p.packBinaryHeader(length);
                                p.writePayload(new byte[length]);
                            })
                            .kind);
            assertEquals(
                    ValueKind.OTHER,
                    readOne(p -> {
                                p.packExtensionTypeHeader((byte) 3, length);
                                p.writePayload(new byte[length]);
                            })
                            .kind);
        }
    }

    @Test
    void skipValueLandsOnTheNextValueForEveryFormat() throws IOException {
        List<Pack> values = new ArrayList<>();
        values.add(p -> p.packLong(300));
        values.add(p -> p.packLong(-70_000));
        values.add(p -> p.packBigInteger(new BigInteger("18446744073709551615")));
        values.add(p -> p.packFloat(2.5f));
        values.add(p -> p.packDouble(2.5));
        values.add(p -> p.packString("x".repeat(40)));
        values.add(p -> p.packString("x".repeat(300)));
        values.add(p -> p.packString("x".repeat(70_000)));
        values.add(p -> {
            p.packBinaryHeader(300);
            p.writePayload(new byte[300]);
        });
        for (int length : new int[] {1, 2, 4, 8, 16, 3, 300, 70_000}) {
            values.add(p -> {
                p.packExtensionTypeHeader((byte) 1, length);
                p.writePayload(new byte[length]);
            });
        }
        values.add(p -> {
            p.packArrayHeader(20);
            for (int i = 0; i < 20; i++) {
                p.packMapHeader(1).packString("k").packArrayHeader(0);
            }
        });
        values.add(p -> {
            p.packArrayHeader(70_000);
            for (int i = 0; i < 70_000; i++) {
                p.packInt(i);
            }
        });
        values.add(p -> {
            p.packMapHeader(20);
            for (int i = 0; i < 20; i++) {
                p.packString("k" + i).packNil();
            }
        });
        values.add(p -> {
            p.packMapHeader(70_000);
            for (int i = 0; i < 70_000; i++) {
                p.packInt(i).packBoolean(true);
            }
        });
        values.add(MessageBufferPacker::packNil);

        MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
        List<Long> ends = new ArrayList<>();
        for (Pack value : values) {
            value.into(packer);
            packer.flush();
            ends.add(packer.getTotalWrittenBytes());
        }
        byte[] bytes = packer.toByteArray();
        MsgpackReader reader = new MsgpackReader(ByteBuffer.wrap(bytes), 0, bytes.length);
        for (long end : ends) {
            reader.skipValue();
            assertEquals(end, reader.position());
        }
    }

    @Test
    void readsFromAnOffset() {
        byte[] bytes = {9, 9, 9, (byte) 0xa2, 'h', 'i', 9};
        MsgpackReader reader = new MsgpackReader(ByteBuffer.wrap(bytes), 3, 3);
        Scalar scalar = new Scalar();
        reader.readScalar(scalar);
        assertEquals(4, scalar.textOffset);
        assertEquals(2, scalar.textLength);
        assertEquals(6, reader.position());
    }

    private static Scalar readOne(Pack pack) throws IOException {
        MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
        pack.into(packer);
        return read(packer.toByteArray());
    }

    private static Scalar read(byte[] bytes) {
        MsgpackReader reader = new MsgpackReader(ByteBuffer.wrap(bytes), 0, bytes.length);
        Scalar scalar = new Scalar();
        reader.readScalar(scalar);
        assertEquals(bytes.length, reader.position(), "consumed exactly one value");
        return scalar;
    }
}
