package io.stupiddb.segments.service.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder writes what msgpack-core's packer writes (both minimal), container sizes found at the end. */
class MsgpackBuilderTest {

    @ParameterizedTest
    @ValueSource(
            longs = {
                0,
                1,
                127,
                128,
                255,
                256,
                65535,
                65536,
                4294967295L,
                4294967296L,
                Long.MAX_VALUE,
                -1,
                -32,
                -33,
                -128,
                -129,
                -32768,
                -32769,
                Integer.MIN_VALUE,
                Integer.MIN_VALUE - 1L,
                Long.MIN_VALUE
            })
    void integersMatchThePacker(long v) {
        MsgpackBuilder b = new MsgpackBuilder(1 << 20, 64);
        b.reset();
        b.startArray();
        b.integer(v);
        b.end();
        assertArrayEquals(Bodies.pack(p -> p.packArrayHeader(1).packLong(v)), b.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, 16, 65535, 65536})
    void containerHeadersMatchThePacker(int n) {
        MsgpackBuilder b = new MsgpackBuilder(1 << 24, 64);
        b.reset();
        b.startMap();
        for (int i = 0; i < n; i++) {
            b.key(("k" + i).getBytes(StandardCharsets.UTF_8));
            b.startArray();
            b.end();
        }
        b.end();
        byte[] expected = Bodies.pack(p -> {
            p.packMapHeader(n);
            for (int i = 0; i < n; i++) {
                p.packString("k" + i).packArrayHeader(0);
            }
        });
        assertArrayEquals(expected, b.toByteArray());
        assertEquals(expected.length, b.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 32, 255, 256, 65535, 65536})
    void stringHeadersMatchThePacker(int len) {
        String s = "s".repeat(len);
        MsgpackBuilder b = new MsgpackBuilder(1 << 20, 64);
        b.reset();
        b.startArray();
        b.string(s.getBytes(StandardCharsets.UTF_8), 0, len);
        b.end();
        assertArrayEquals(Bodies.pack(p -> p.packArrayHeader(1).packString(s)), b.toByteArray());
    }

    @Test
    void overTheLimitItStopsStoringButKeepsCountingExactly() {
        MsgpackBuilder b = new MsgpackBuilder(10, 64);
        b.reset();
        b.startMap();
        b.key("a".getBytes(StandardCharsets.UTF_8));
        b.startArray();
        for (int i = 0; i < 20; i++) {
            b.integer(i);
        }
        b.end();
        b.end();
        assertTrue(b.tooLarge());
        // fixmap + "a" (2) + array16 header (3) + 20 fixints
        assertEquals(1 + 2 + 3 + 20, b.size());
    }

    /** Headers of every size at several depths, siblings and nesting mixed: each lands in its own hole. */
    @Test
    void nestedContainersOfEverySizeMatchThePacker() {
        int[] sizes = {0, 1, 15, 16, 300};
        MsgpackBuilder b = new MsgpackBuilder(1 << 24, 64);
        b.reset();
        b.startMap();
        for (int n : sizes) {
            b.key(("m" + n).getBytes(StandardCharsets.UTF_8));
            b.startArray();
            for (int i = 0; i < n; i++) {
                b.startMap();
                b.key(new char[] {'é'}, 0, 1);
                b.integer(i);
                b.end();
            }
            b.end();
        }
        b.end();
        byte[] expected = Bodies.pack(p -> {
            p.packMapHeader(sizes.length);
            for (int n : sizes) {
                p.packString("m" + n).packArrayHeader(n);
                for (int i = 0; i < n; i++) {
                    p.packMapHeader(1).packString("é").packInt(i);
                }
            }
        });
        assertArrayEquals(expected, b.toByteArray());
        // the buffers are reused: the same document again gives the same bytes
        b.reset();
        b.startArray();
        b.end();
        assertArrayEquals(new byte[] {(byte) 0x90}, b.toByteArray());
    }

    @Test
    void countingOnlyGivesTheExactSizeAndKeepsNothing() {
        MsgpackBuilder b = new MsgpackBuilder(1 << 20, 64);
        b.reset(false);
        b.startMap();
        b.key("abc".getBytes(StandardCharsets.UTF_8));
        b.string(new char[] {'x', '\u00e9', '\ud83d', '\ude00'}, 0, 4); // x é 😀: 1 + 2 + 4 bytes
        b.end();
        assertEquals(1 + 4 + 1 + 7, b.size());
        assertFalse(b.tooLarge());
        assertThrows(IllegalStateException.class, b::toByteArray);
    }

    @Test
    void anUnpairedSurrogateIsRefusedAndNothingIsWritten() {
        MsgpackBuilder b = new MsgpackBuilder(1 << 20, 64);
        b.reset();
        b.startArray();
        assertFalse(b.string(new char[] {'a', '\ud800', 'b'}, 0, 3));
        assertFalse(b.key(new char[] {'\ude00'}, 0, 1));
        b.end();
        assertArrayEquals(new byte[] {(byte) 0x90}, b.toByteArray());
    }
}
