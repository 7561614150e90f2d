package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.bytes;
import static io.stupiddb.segments.service.codec.Bodies.concat;
import static io.stupiddb.segments.service.codec.Bodies.invalidMsgpack;
import static io.stupiddb.segments.service.codec.Bodies.jsonTree;
import static io.stupiddb.segments.service.codec.Bodies.msgpack;
import static io.stupiddb.segments.service.codec.Bodies.pack;
import static io.stupiddb.segments.service.codec.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DocumentDecoderMsgpackTest {

    /** {"k": <value bytes>} */
    static byte[] withValue(byte[] value) {
        return concat(bytes(0x81, 0xa1, 'k'), value);
    }

    @Test
    void oneMapIsOneDocument() {
        byte[] body = pack(p -> {
            p.packMapHeader(3);
            p.packString("level").packString("error");
            p.packString("http").packMapHeader(1).packString("status").packInt(500);
            p.packString("tags")
                    .packArrayHeader(4)
                    .packString("a")
                    .packInt(-1)
                    .packDouble(2.5)
                    .packNil();
        });
        List<DocumentToWrite> docs = msgpack(body);
        assertEquals(1, docs.size());
        assertArrayEquals(body, docs.getFirst().source(), "canonical input is copied byte for byte");
        assertEquals(
                jsonTree("{\"level\":\"error\",\"http\":{\"status\":500},\"tags\":[\"a\",-1,2.5,null]}"),
                tree(docs.getFirst()));
        assertEquals(OptionalLong.empty(), docs.getFirst().timestamp());
    }

    /**
     * Canonical (minimal) input is stored as sent; anything else is re-encoded to the bytes the
     * packer would have written: int 32 holding 5 (d2 00 00 00 05), str 16 of 1 byte, map 16 of one
     * entry, array 32 of one item, int 8 holding 100 (a positive number in a signed format).
     */
    @Test
    void aNonCanonicalBodyIsStoredInCanonicalEncoding() {
        byte[] canonical = pack(p -> p.packMapHeader(3)
                .packString("n")
                .packInt(5)
                .packString("s")
                .packArrayHeader(1)
                .packString("x")
                .packString("p")
                .packInt(100));
        byte[] wide = bytes(
                0xde, 0, 3, // map 16, 3 entries
                0xa1, 'n', 0xd2, 0, 0, 0, 5, // int 32: 5
                0xda, 0, 1, 's', // str 16: "s"
                0xdd, 0, 0, 0, 1, 0xa1, 'x', // array 32 of one
                0xa1, 'p', 0xd0, 100); // int 8: 100, minimal is positive fixint
        assertArrayEquals(canonical, msgpack(wide).getFirst().source());
        assertArrayEquals(canonical, msgpack(canonical).getFirst().source());
        // one non-canonical element of a batch does not change how the others are stored
        byte[] batch = concat(bytes(0x92), wide, canonical);
        List<DocumentToWrite> docs = msgpack(batch);
        assertArrayEquals(canonical, docs.get(0).source());
        assertArrayEquals(canonical, docs.get(1).source());
    }

    @Test
    void aNonCanonicalTimestampIsReadAndReEncoded() {
        byte[] wide = bytes(0x81, 0xa2, 't', 's', 0xd3, 0, 0, 0, 0, 0, 0, 0x03, 0xe8); // {"ts": int 64 1000}
        DocumentDecoder decoder = new DocumentDecoder("ts", Bodies.MIB, Bodies.MIB);
        DocumentToWrite doc = Bodies.decode(decoder, wide, BodyFormat.MSGPACK).getFirst();
        assertEquals(OptionalLong.of(1000), doc.timestamp());
        assertArrayEquals(bytes(0x81, 0xa2, 't', 's', 0xcd, 0x03, 0xe8), doc.source());
    }

    @Test
    void aNonCanonicalDocumentOverTheLimitIsTooLargeWithItsCanonicalSize() {
        // 40 entries {"k<i>": int 64 i}: 3 + 10 × 12 + 30 × 13 bytes sent; canonical 3 + 10 × 4 + 30 × 5
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0xde, 0, 40));
        for (int i = 0; i < 40; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
            out.write(0xa0 | key.length);
            out.writeBytes(key);
            out.writeBytes(bytes(0xd3, 0, 0, 0, 0, 0, 0, 0, i));
        }
        byte[] body = out.toByteArray();
        long canonicalSize = 3 + 10 * 4 + 30 * 5;
        DocumentDecoder decoder = new DocumentDecoder("ts", canonicalSize - 1, Bodies.MIB);
        assertInvalid(
                Bodies.invalid(decoder, body, BodyFormat.MSGPACK),
                Kind.TOO_LARGE,
                0,
                "document is " + canonicalSize + " bytes");
        DocumentDecoder roomy = new DocumentDecoder("ts", canonicalSize, Bodies.MIB);
        assertEquals(
                canonicalSize,
                Bodies.decode(roomy, body, BodyFormat.MSGPACK).getFirst().source().length);
    }

    @Test
    void anArrayOfMapsIsABatch() {
        byte[] body = pack(p -> {
            p.packArrayHeader(3);
            for (int i = 0; i < 3; i++) {
                p.packMapHeader(1).packString("n").packInt(i);
            }
        });
        List<DocumentToWrite> docs = msgpack(body);
        assertEquals(3, docs.size());
        assertEquals(2, tree(docs.get(2)).get("n").asInt());
    }

    @Test
    void nonMinimalEncodingsAreMadeMinimal() {
        // {"k": int64 1} with a map16 header and a str8 key -> fixmap, fixstr, fixint
        byte[] body = bytes(0xde, 0x00, 0x01, 0xd9, 0x01, 'k', 0xd3, 0, 0, 0, 0, 0, 0, 0, 1);
        assertArrayEquals(bytes(0x81, 0xa1, 'k', 0x01), msgpack(body).getFirst().source());
    }

    @Test
    void numbersKeepTheirTypes() {
        byte[] body = pack(p -> {
            p.packMapHeader(5);
            p.packString("u64").packBigInteger(new BigInteger("18446744073709551615"));
            p.packString("min").packLong(Long.MIN_VALUE);
            p.packString("max").packLong(Long.MAX_VALUE);
            p.packString("f32").packFloat(1.25f);
            p.packString("f64").packDouble(-0.1);
        });
        assertArrayEquals(body, msgpack(body).getFirst().source());
    }

    @Test
    void nonMapsAreNamed() {
        assertInvalid(
                invalidMsgpack(pack(p -> p.packArrayHeader(2).packMapHeader(0).packString("x"))),
                Kind.NOT_AN_OBJECT,
                1,
                "element 1: not a MessagePack map (got a string)");
        assertInvalid(
                invalidMsgpack(pack(p -> p.packInt(42))),
                Kind.NOT_AN_OBJECT,
                0,
                "element 0: not a MessagePack map or an array of maps (got an integer)");
    }

    @Test
    void emptyBodiesAndBatchesAreErrors() {
        assertInvalid(invalidMsgpack(new byte[0]), Kind.MALFORMED, -1, "request body is empty");
        assertInvalid(invalidMsgpack(bytes(0x90)), Kind.MALFORMED, -1, "empty batch");
    }

    @Test
    void trailingDataIsMalformed() {
        assertInvalid(
                invalidMsgpack(bytes(0x80, 0x80)), Kind.MALFORMED, -1, "unexpected data after the MessagePack value");
        assertInvalid(invalidMsgpack(bytes(0x91, 0x80, 0xc0)), Kind.MALFORMED, -1, "unexpected data after");
    }

    @Test
    void truncatedBodiesAreMalformed() {
        assertInvalid(
                invalidMsgpack(bytes(0x82, 0xa1, 'a', 0x01)), Kind.MALFORMED, 0, "element 0: unexpected end of input");
        assertInvalid(invalidMsgpack(bytes(0x92, 0x80)), Kind.MALFORMED, 1, "element 1: unexpected end of input");
        assertInvalid(invalidMsgpack(withValue(bytes(0xcd, 0x01))), Kind.MALFORMED, 0, "unexpected end of input");
    }

    @Test
    void absurdStringLengthsAreMalformedNotOutOfMemory() {
        byte[] five = "hello".getBytes(StandardCharsets.UTF_8);
        // str32 claiming 2 GiB (does not even fit an int), 2 GiB - 1, 1 MiB + 1 (over the document limit), 1000 bytes.
        for (int[] header : new int[][] {
            {0xdb, 0x80, 0, 0, 0},
            {0xdb, 0x7f, 0xff, 0xff, 0xff},
            {0xdb, 0x00, 0x10, 0x00, 0x01},
            {0xdb, 0, 0, 0x03, 0xe8}
        }) {
            assertInvalid(invalidMsgpack(withValue(concat(bytes(header), five))), Kind.MALFORMED, 0);
            // the same as a key
            assertInvalid(invalidMsgpack(concat(bytes(0x81), bytes(header), five)), Kind.MALFORMED, 0);
        }
    }

    @Test
    void absurdContainerSizesAreMalformed() {
        assertInvalid(
                invalidMsgpack(withValue(bytes(0xdd, 0xff, 0xff, 0xff, 0xff, 0x01))),
                Kind.MALFORMED,
                0,
                "a length header claims 2 GiB or more");
        assertInvalid(
                invalidMsgpack(withValue(bytes(0xdd, 0x7f, 0xff, 0xff, 0xff, 0x01))),
                Kind.MALFORMED,
                0,
                "unexpected end of input");
        assertInvalid(
                invalidMsgpack(bytes(0xdf, 0x7f, 0xff, 0xff, 0xff, 0xa1, 'a', 0x01)),
                Kind.MALFORMED,
                0,
                "unexpected end of input");
        assertInvalid(
                invalidMsgpack(bytes(0xdd, 0x7f, 0xff, 0xff, 0xff, 0x80)),
                Kind.MALFORMED,
                1,
                "unexpected end of input");
        assertInvalid(invalidMsgpack(bytes(0xdd, 0xff, 0xff, 0xff, 0xff, 0x80)), Kind.MALFORMED, -1);
    }

    @Test
    void extensionValuesAreRefused() {
        assertInvalid(
                invalidMsgpack(withValue(bytes(0xd4, 0x05, 0x00))),
                Kind.UNSUPPORTED_VALUE,
                0,
                "MessagePack extension type 5 is not supported");
        byte[] timestamp = pack(p -> p.packMapHeader(1).packString("at").packTimestamp(java.time.Instant.EPOCH));
        assertInvalid(
                invalidMsgpack(timestamp), Kind.UNSUPPORTED_VALUE, 0, "extension type -1 (timestamp)", "RFC 3339");
        // ext32 claiming 2 GiB - 1: refused from its header, the payload is never read
        assertInvalid(invalidMsgpack(withValue(bytes(0xc9, 0x7f, 0xff, 0xff, 0xff, 0x01))), Kind.UNSUPPORTED_VALUE, 0);
    }

    @Test
    void binaryValuesAreRefused() {
        assertInvalid(
                invalidMsgpack(withValue(bytes(0xc4, 0x02, 0x01, 0x02))),
                Kind.UNSUPPORTED_VALUE,
                0,
                "binary values are not supported",
                "base64");
        assertInvalid(invalidMsgpack(withValue(bytes(0xc6, 0x7f, 0xff, 0xff, 0xff))), Kind.UNSUPPORTED_VALUE, 0);
    }

    @Test
    void keysMustBeStrings() {
        assertInvalid(
                invalidMsgpack(bytes(0x81, 0x01, 0x02)),
                Kind.UNSUPPORTED_VALUE,
                0,
                "map keys must be strings (got an integer)");
        assertInvalid(invalidMsgpack(bytes(0x81, 0xc4, 0x01, 'a', 0x02)), Kind.UNSUPPORTED_VALUE, 0, "(got binary)");
        assertInvalid(invalidMsgpack(bytes(0x81, 0xc0, 0x02)), Kind.UNSUPPORTED_VALUE, 0, "(got nil)");
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertInvalid(
                invalidMsgpack(bytes(0x82, 0xa1, 'a', 0x01, 0xa1, 'a', 0x02)), Kind.MALFORMED, 0, "duplicate key 'a'");
    }

    @Test
    void invalidUtf8IsMalformed() {
        assertInvalid(invalidMsgpack(withValue(bytes(0xa2, 0xc0, 0xaf))), Kind.MALFORMED, 0, "not valid UTF-8");
        assertInvalid(invalidMsgpack(bytes(0x81, 0xa1, 0xff, 0x01)), Kind.MALFORMED, 0, "not valid UTF-8");
    }

    @Test
    void theNeverUsedByteIsMalformed() {
        assertInvalid(invalidMsgpack(withValue(bytes(0xc1))), Kind.MALFORMED, 0, "0xc1");
        assertInvalid(invalidMsgpack(bytes(0xc1)), Kind.MALFORMED, -1);
    }

    @Test
    void nonFiniteFloatsAreRefused() {
        assertInvalid(
                invalidMsgpack(pack(p -> p.packMapHeader(1).packString("f").packDouble(Double.NaN))),
                Kind.UNSUPPORTED_VALUE,
                0,
                "NaN");
        assertInvalid(
                invalidMsgpack(pack(p -> p.packMapHeader(1).packString("f").packFloat(Float.NEGATIVE_INFINITY))),
                Kind.UNSUPPORTED_VALUE,
                0,
                "not supported");
    }

    @Test
    void sixtyFourLevelsAreFineSixtyFiveAreNot() {
        assertEquals(1, msgpack(nestedMaps(64)).size());
        assertInvalid(invalidMsgpack(nestedMaps(65)), Kind.MALFORMED, 0, "nested deeper than 64 levels");
    }

    @Test
    void tenThousandLevelsAreRejectedWithoutStackOverflow() {
        assertInvalid(invalidMsgpack(nestedMaps(10_000)), Kind.MALFORMED, 0, "nested deeper than 64 levels");
        byte[] arrays = new byte[10_000];
        java.util.Arrays.fill(arrays, (byte) 0x91);
        assertInvalid(invalidMsgpack(withValue(arrays)), Kind.MALFORMED, 0, "nested deeper than 64 levels");
    }

    /** {"a":{"a":…{}…}} with {@code levels} maps. */
    static byte[] nestedMaps(int levels) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            for (int i = 1; i < levels; i++) {
                p.packMapHeader(1).packString("a");
            }
            p.packMapHeader(0);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
