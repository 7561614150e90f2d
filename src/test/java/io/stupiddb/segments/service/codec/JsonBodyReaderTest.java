package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.jsonTree;
import static io.stupiddb.segments.service.codec.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JSON and NDJSON reader on its own: what it leaves in the state, and where its errors point. */
class JsonBodyReaderTest {

    private final DecodeState state = new DecodeState("ts", 1 << 20);
    private final JsonBodyReader reader = new JsonBodyReader(JsonBodyReader.factory(1 << 20), state);

    @Test
    void aJsonArrayBecomesOneDocumentPerObjectWithItsEventTime() throws IOException {
        reader.readJson(body("[{\"ts\":5,\"a\":[1,{\"b\":null}]},{\"x\":\"y\"}]"));
        assertEquals(2, state.documentCount());
        assertEquals(
                jsonTree("{\"ts\":5,\"a\":[1,{\"b\":null}]}"),
                tree(state.documents().get(0)));
        assertEquals(OptionalLong.of(5), state.documents().get(0).timestamp());
        assertEquals(OptionalLong.empty(), state.documents().get(1).timestamp());
    }

    @Test
    void ndjsonAndJsonOfTheSameObjectsGiveTheSameDocuments() throws IOException {
        DecodeState other = new DecodeState("ts", 1 << 20);
        reader.readJson(body("[{\"ts\":\"2026-11-25T10:00:00Z\",\"n\":1},{\"n\":2}]"));
        new JsonBodyReader(JsonBodyReader.factory(1 << 20), other)
                .readNdjson(body("{\"ts\":\"2026-11-25T10:00:00Z\",\"n\":1}\n\n{\"n\":2}\n"));
        assertEquals(state.documentCount(), other.documentCount());
        for (int i = 0; i < state.documentCount(); i++) {
            assertEquals(tree(state.documents().get(i)), tree(other.documents().get(i)));
            assertEquals(
                    state.documents().get(i).timestamp(),
                    other.documents().get(i).timestamp());
        }
    }

    @Test
    void aDuplicateKeyInJsonNamesLineAndColumnOfTheBody() {
        var e = assertThrows(InvalidDocumentException.class, () -> reader.readJson(body("[{},\n {\"a\":1,\"a\":2}]")));
        assertInvalid(e, Kind.MALFORMED, 1, "element 1: duplicate key 'a' (line 2, column 9)");
    }

    @Test
    void aDuplicateKeyInNdjsonNamesTheLineAndTheColumnWithinIt() {
        var e = assertThrows(InvalidDocumentException.class, () -> reader.readNdjson(body("{}\n{\"a\":1,\"a\":2}\n")));
        assertInvalid(e, Kind.MALFORMED, 1, "line 2: duplicate key 'a' (column 8)");
        assertEquals(2, e.line());
    }

    @Test
    void theFactoryRefusesAStringLongerThanADocumentWhileReadingIt() {
        DecodeState small = new DecodeState("ts", 64);
        JsonBodyReader smallReader = new JsonBodyReader(JsonBodyReader.factory(64), small);
        var e = assertThrows(
                InvalidDocumentException.class,
                () -> smallReader.readJson(body("{\"s\":\"" + "x".repeat(1000) + "\"}")));
        assertInvalid(e, Kind.TOO_LARGE, 0, "a string is longer than segments.max-document-size (64)");
    }

    @Test
    void anUnpairedSurrogateEscapeIsMalformed() {
        var e = assertThrows(InvalidDocumentException.class, () -> reader.readJson(body("{\"s\":\"\\uD800x\"}")));
        assertInvalid(e, Kind.MALFORMED, 0, "unpaired surrogate \\uD800");
    }

    @Test
    void invalidUtf8IsFoundAheadOfTheParserAtItsBodyOffset() {
        byte[] bad = Bodies.concat(
                "{\"s\":\"".getBytes(StandardCharsets.UTF_8),
                Bodies.bytes(0xc0, 0xaf),
                "\"}".getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(InvalidDocumentException.class, () -> reader.readJson(new ByteArrayInputStream(bad)));
        assertInvalid(e, Kind.MALFORMED, -1, "request body: invalid UTF-8 at byte 6");
    }

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
