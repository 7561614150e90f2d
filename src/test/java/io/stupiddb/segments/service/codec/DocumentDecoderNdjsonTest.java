package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.invalidNdjson;
import static io.stupiddb.segments.service.codec.Bodies.ndjson;
import static io.stupiddb.segments.service.codec.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DocumentDecoderNdjsonTest {

    @Test
    void oneObjectPerLineBlankLinesSkipped() {
        List<DocumentToWrite> docs = ndjson("{\"n\":0}\n\n  \t\n{\"n\":1}\r\n{\"n\":2}\n\n");
        assertEquals(3, docs.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, tree(docs.get(i)).get("n").asInt());
        }
    }

    /**
     * Strings are copied from where the parser says they start in the line: leading whitespace and
     * a byte order mark before the object must not shift which bytes are taken.
     */
    @Test
    void stringsAreTakenFromTheirOwnPlaceInTheLine() {
        List<DocumentToWrite> docs = ndjson(
                "   \t{\"a\":\"x\",\"bb\":\"yz\",\"c\":[\"\",\"q\\\"r\"]}\n" + "\uFEFF{\"a\":\"é\",\"bb\":\"\"}\n");
        assertEquals(2, docs.size());
        assertEquals(
                "{\"a\":\"x\",\"bb\":\"yz\",\"c\":[\"\",\"q\\\"r\"]}",
                tree(docs.get(0)).toString());
        assertEquals("{\"a\":\"é\",\"bb\":\"\"}", tree(docs.get(1)).toString());
    }

    /** A large batch with distinct keys per line and non-ASCII values: every document keeps its own bytes. */
    @Test
    void manyDistinctAndRepeatedKeysAndStringsKeepTheirBytes() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            body.append("{\"k")
                    .append(i)
                    .append("\":\"v")
                    .append(i)
                    .append(" é€😀\",\"same\":\"")
                    .append("x".repeat(i % 300))
                    .append("\"}\n");
        }
        List<DocumentToWrite> docs = ndjson(body.toString());
        assertEquals(10_000, docs.size());
        for (int i = 0; i < 10_000; i++) {
            var tree = tree(docs.get(i));
            assertEquals("v" + i + " é€😀", tree.get("k" + i).asText(), "document " + i);
            assertEquals("x".repeat(i % 300), tree.get("same").asText(), "document " + i);
            assertEquals(2, tree.size());
        }
    }

    @Test
    void aLastLineWithoutNewlineCounts() {
        assertEquals(2, ndjson("{\"n\":0}\n{\"n\":1}").size());
    }

    @Test
    void aBadLastLineIsAnErrorNamingItsLine() {
        var e = invalidNdjson("{\"n\":0}\n\n{\"n\":1}\n{\"n\":2}\n\n\n{\"n\":");
        assertInvalid(e, Kind.MALFORMED, 3, "line 7: unexpected end of input");
        assertEquals(7, e.line());
    }

    @Test
    void malformedLinesNameTheLineAndColumn() {
        var e = invalidNdjson("{\"a\":1}\n{\"a\" 1}\n");
        assertInvalid(e, Kind.MALFORMED, 1, "line 2: ", "(column 6)");
        assertEquals(2, e.line());
    }

    @Test
    void anObjectSpanningLinesIsMalformed() {
        assertInvalid(invalidNdjson("{\"a\":\n1}\n"), Kind.MALFORMED, 0, "line 1: unexpected end of input");
    }

    @Test
    void twoValuesOnALineAreMalformed() {
        assertInvalid(invalidNdjson("{\"a\":1} {\"b\":2}\n"), Kind.MALFORMED, 0, "line 1: more than one JSON value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"a\":1}]", "42", "\"x\"", "null"})
    void nonObjectLinesAreNamed(String value) {
        var e = invalidNdjson("{}\n\n" + value + "\n{}\n");
        assertInvalid(e, Kind.NOT_AN_OBJECT, 1, "line 3: not a JSON object");
        assertEquals(3, e.line());
    }

    @Test
    void emptyBodiesAndOnlyBlankLinesAreErrors() {
        assertInvalid(invalidNdjson(""), Kind.MALFORMED, -1, "request body: request body is empty");
        assertInvalid(invalidNdjson("\n \n\r\n"), Kind.MALFORMED, -1, "request body: empty batch");
    }

    @Test
    void deepNestingIsRefusedPerLine() {
        assertEquals(1, ndjson(DocumentDecoderJsonTest.nested(64) + "\n").size());
        var e = invalidNdjson("{}\n" + DocumentDecoderJsonTest.nested(10_000) + "\n");
        assertInvalid(e, Kind.MALFORMED, 1, "line 2: nested deeper than 64 levels");
    }

    @Test
    void invalidUtf8NamesTheLine() {
        byte[] body = Bodies.concat(
                "{}\n{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                Bodies.bytes(0xc0, 0xaf),
                "\"}\n".getBytes(StandardCharsets.UTF_8));
        var e = Bodies.invalid(Bodies.DEFAULTS, body, BodyFormat.NDJSON);
        assertInvalid(e, Kind.MALFORMED, 1, "line 2: invalid UTF-8 at byte 6 of the line");
    }

    @Test
    void duplicateKeysNameTheLine() {
        assertInvalid(invalidNdjson("{}\n{}\n{\"a\":1,\"a\":1}"), Kind.MALFORMED, 2, "line 3: duplicate key 'a'");
    }
}
