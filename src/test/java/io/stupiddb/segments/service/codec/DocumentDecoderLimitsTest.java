package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static io.stupiddb.segments.service.codec.Bodies.MIB;
import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.pack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentDecoderLimitsTest {

    /** {"a":"xxx…"} whose MessagePack encoding is exactly {@code size} bytes (size > 65543). */
    static String documentOfEncodedSize(long size) {
        // fixmap(1) + fixstr "a" (2) + str32 header (5) + payload
        return "{\"a\":\"" + "x".repeat((int) (size - 8)) + "\"}";
    }

    @Test
    void aDocumentOfExactlyTheLimitIsFine() {
        var doc = Bodies.json(documentOfEncodedSize(MIB)).getFirst();
        assertEquals(MIB, doc.source().length);
    }

    @Test
    void oneByteMoreIsTooLargeWithTheExactSize() {
        var e = Bodies.invalidJson("[{}," + documentOfEncodedSize(MIB + 1) + "]");
        assertInvalid(
                e,
                Kind.TOO_LARGE,
                1,
                "element 1: document is 1048577 bytes, larger than segments.max-document-size (1M)");
        assertEquals(413, e.kind().status());
    }

    @Test
    void manySmallValuesAddUpToTooLarge() {
        // 300,000 small integers: about 600 KB of JSON, each 1 byte in MessagePack, but with nesting.
        String inner = "[" + "1,".repeat(299_999) + "1]";
        String body = "{\"a\":" + inner + ",\"b\":" + inner + ",\"c\":" + inner + ",\"d\":" + inner + "}";
        var e = Bodies.invalidJson(body);
        assertInvalid(e, Kind.TOO_LARGE, 0, "document is 1200029 bytes");
    }

    @Test
    void aStringLongerThanTheDocumentLimitIsRefusedWhileReading() {
        var e = Bodies.invalidJson("{\"a\":\"" + "x".repeat((int) MIB + 10) + "\"}");
        assertInvalid(e, Kind.TOO_LARGE, 0, "longer than segments.max-document-size");
    }

    @Test
    void aTooLargeMsgpackDocumentHasItsExactSize() {
        byte[] body = pack(p -> p.packMapHeader(1).packString("a").packString("y".repeat((int) MIB)));
        var e = Bodies.invalidMsgpack(body);
        assertInvalid(e, Kind.TOO_LARGE, 0, "document is " + body.length + " bytes");
        byte[] fits = pack(p -> p.packMapHeader(1).packString("a").packString("y".repeat((int) MIB - 8)));
        assertEquals(MIB, Bodies.msgpack(fits).getFirst().source().length);
    }

    @ParameterizedTest
    @EnumSource(BodyFormat.class)
    void aBodyOfExactlyTheRequestLimitIsFine(BodyFormat format) {
        DocumentDecoder decoder = new DocumentDecoder("timestamp", 1024, 64);
        byte[] body = bodyOfSize(format, 64);
        assertEquals(64, body.length);
        assertEquals(1, Bodies.decode(decoder, body, format).size());
    }

    @ParameterizedTest
    @EnumSource(BodyFormat.class)
    void aBodyOneByteOverTheRequestLimitIs413(BodyFormat format) {
        DocumentDecoder decoder = new DocumentDecoder("timestamp", 1024, 64);
        var e = assertThrows(
                RequestTooLargeException.class, () -> Bodies.decode(decoder, bodyOfSize(format, 65), format));
        assertEquals("request body is larger than segments.max-request-size (64)", e.getMessage());
        assertEquals(64, e.limit());
    }

    /** One document padded with a string to exactly {@code size} bytes. */
    static byte[] bodyOfSize(BodyFormat format, int size) {
        return switch (format) {
            case JSON, NDJSON -> ("{\"a\":\"" + "x".repeat(size - 8) + "\"}").getBytes(StandardCharsets.UTF_8);
            case MSGPACK -> pack(p -> p.packMapHeader(1).packString("a").packString("x".repeat(size - 5)));
        };
    }

    @ParameterizedTest
    @EnumSource(BodyFormat.class)
    void anEndlessBodyIsCutOffAtTheLimitNotBuffered(BodyFormat format) {
        byte[] pattern = switch (format) {
            case JSON -> "{\"a\":1},".getBytes(StandardCharsets.UTF_8);
            case NDJSON -> "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
            case MSGPACK -> Bodies.bytes(0x81, 0xa1, 'a', 0x01);
        };
        byte[] head = switch (format) {
            case JSON -> "[".getBytes(StandardCharsets.UTF_8);
            case NDJSON -> new byte[0];
            case MSGPACK -> Bodies.bytes(0xdd, 0x7f, 0xff, 0xff, 0xff);
        };
        EndlessBody body = new EndlessBody(head, pattern);
        DocumentDecoder decoder = new DocumentDecoder("timestamp", MIB, MIB);
        assertThrows(RequestTooLargeException.class, () -> decoder.decode(body, format));
        assertTrue(body.served <= MIB + 1, "read " + body.served + " bytes");
    }

    /** {@code head} then {@code pattern} forever. */
    static final class EndlessBody extends InputStream {
        final byte[] head;
        final byte[] pattern;
        long served;

        EndlessBody(byte[] head, byte[] pattern) {
            this.head = head;
            this.pattern = pattern;
        }

        @Override
        public int read() {
            long i = served++;
            return (i < head.length ? head[(int) i] : pattern[(int) ((i - head.length) % pattern.length)]) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }

    @Test
    void oversizedMessagePackStringsNeedTheirBytesToBeTooLarge() {
        DocumentDecoder decoder = new DocumentDecoder("timestamp", 100, 1000);
        // claims 200 bytes and sends them: too large (exact size); sends 10: malformed
        byte[] full = pack(p -> p.packMapHeader(1).packString("a").packString("z".repeat(200)));
        assertInvalid(
                Bodies.invalid(decoder, full, BodyFormat.MSGPACK),
                Kind.TOO_LARGE,
                0,
                "document is " + full.length + " bytes, larger than segments.max-document-size (100)");
        byte[] cut = java.util.Arrays.copyOf(full, 20);
        assertInvalid(Bodies.invalid(decoder, cut, BodyFormat.MSGPACK), Kind.MALFORMED, 0, "unexpected end of input");
    }
}
