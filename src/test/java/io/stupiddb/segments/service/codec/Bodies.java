package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.testing.TestDocuments;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helpers of the decoder tests: decode request bodies with the SPEC defaults, check the
 * {@link InvalidDocumentException} they raise, build hand-made MessagePack bytes and read stored
 * documents back as trees. Not a document generator (those are in {@code testing/}): it stays here
 * because every helper is about {@link DocumentDecoder}'s package-private edges.
 */
final class Bodies {
    static final long MIB = 1L << 20;
    static final DocumentDecoder DEFAULTS = new DocumentDecoder("timestamp", MIB, 16 * MIB);
    static final ObjectMapper JSON = TestDocuments.JSON;
    static final ObjectMapper MSGPACK = TestDocuments.MSGPACK;

    private Bodies() {}

    static List<DocumentToWrite> decode(DocumentDecoder decoder, byte[] body, BodyFormat format) {
        try {
            return decoder.decode(new ByteArrayInputStream(body), format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<DocumentToWrite> json(String body) {
        return decode(DEFAULTS, body.getBytes(StandardCharsets.UTF_8), BodyFormat.JSON);
    }

    static List<DocumentToWrite> ndjson(String body) {
        return decode(DEFAULTS, body.getBytes(StandardCharsets.UTF_8), BodyFormat.NDJSON);
    }

    static List<DocumentToWrite> msgpack(byte[] body) {
        return decode(DEFAULTS, body, BodyFormat.MSGPACK);
    }

    static InvalidDocumentException invalid(DocumentDecoder decoder, byte[] body, BodyFormat format) {
        return assertThrows(InvalidDocumentException.class, () -> decode(decoder, body, format));
    }

    static InvalidDocumentException invalidJson(String body) {
        return invalid(DEFAULTS, body.getBytes(StandardCharsets.UTF_8), BodyFormat.JSON);
    }

    static InvalidDocumentException invalidNdjson(String body) {
        return invalid(DEFAULTS, body.getBytes(StandardCharsets.UTF_8), BodyFormat.NDJSON);
    }

    static InvalidDocumentException invalidMsgpack(byte[] body) {
        return invalid(DEFAULTS, body, BodyFormat.MSGPACK);
    }

    /** Asserts kind, index and that the message contains each fragment. */
    static void assertInvalid(
            InvalidDocumentException e, InvalidDocumentException.Kind kind, int index, String... fragments) {
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(index, e.index(), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }

    /** A stored document read back as a tree. */
    static JsonNode tree(DocumentToWrite doc) {
        try {
            return MSGPACK.readTree(doc.source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode jsonTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A MessagePack body built with msgpack-core's packer. */
    static byte[] pack(PackerBody body) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            body.write(packer);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @FunctionalInterface
    interface PackerBody {
        void write(MessageBufferPacker packer) throws IOException;
    }
}
