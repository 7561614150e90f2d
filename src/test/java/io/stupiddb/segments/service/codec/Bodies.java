package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.store.DocumentToWrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: decode bodies with the SPEC defaults, read MessagePack back as trees. */
final class Bodies {
    static final long MIB = 1L << 20;
    static final DocumentDecoder DEFAULTS = new DocumentDecoder("timestamp", MIB, 16 * MIB);
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private Bodies() {
    }

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
    static void assertInvalid(InvalidDocumentException e, InvalidDocumentException.Kind kind, int index,
                              String... fragments) {
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
