package io.stupiddb.segments.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.UncheckedIOException;

/**
 * JSON written with {@code '} for {@code "}, e.g. {@code {'level':'error'}}, so that documents and
 * filters read as one line in a test table. The MessagePack form of a tree is
 * {@link TestDocuments#msgpack(Object)}.
 */
public final class SingleQuotedJson {
    private SingleQuotedJson() {}

    /** The tree of single-quoted JSON. */
    public static JsonNode json(String singleQuoted) {
        try {
            return TestDocuments.JSON.readTree(text(singleQuoted));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Single-quoted JSON as JSON text (e.g. a filter parameter). */
    public static String text(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
