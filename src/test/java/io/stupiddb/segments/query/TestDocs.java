package io.stupiddb.segments.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.UncheckedIOException;

/** Test helpers: JSON written with single quotes for readable tables, and its MessagePack form. */
final class TestDocs {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private TestDocs() {
    }

    /** Parses JSON written with {@code '} for {@code "}, e.g. {@code {'level':'error'}}. */
    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Filter text from single-quoted JSON. */
    static String text(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static byte[] msgpack(JsonNode document) {
        try {
            return MSGPACK.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
