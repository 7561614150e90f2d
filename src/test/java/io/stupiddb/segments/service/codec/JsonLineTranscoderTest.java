package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.store.DocumentToWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NDJSON fast path held to its contract: a line it takes ends as the very document Jackson's
 * path makes of it (bytes and event time), and a line it declines adds nothing and is then read by
 * Jackson's path, so errors and unusual values come out as they always did.
 */
class JsonLineTranscoderTest {
    static final long LIMIT = 4096;

    /** Lines of plain JSON: each is taken by the fast path and ends as Jackson's path ends it (bytes, event time). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "  {\"a\":1}  \r",
                "{\"timestamp\":\"2026-11-29T22:21:35.507Z\",\"level\":\"error\",\"http\":{\"status\":503,\"bytes\":179253},"
                        + "\"latency_ms\":211.2,\"tags\":[\"stable\",\"web\"],\"stack\":\"a\\n\\tat b\"}",
                "{\"timestamp\":1764454895507,\"n\":-42}",
                "{\"timestamp\":-5}",
                "{\"a\":[],\"b\":{},\"c\":[[],{}],\"d\":[{\"x\":[1,[2,[3]]]}]}",
                "{ \"a\" : [ 1 , 2 ] , \"b\" : { \"c\" : null } }",
                "{\"t\":true,\"f\":false,\"n\":null}",
                "{\"z\":0,\"m\":-0,\"x\":123456789012345678,\"y\":-123456789012345678,\"b\":127,\"c\":128,\"d\":-33}",
                "{\"a\":0.1,\"b\":-0.0,\"c\":1e22,\"d\":1E-22,\"e\":123456789012345e-5,\"f\":2.5e+3,\"g\":0.000001,\"h\":1e05}",
                "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"b\":\"\\u0000\\u001f\\u00e9\\u20AC\\uD83D\\uDE00\"}",
                "{\"a\":\"é€😀 raw\",\"é\":\"key of two bytes\"}",
                "{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}",
                "{\"abcdefghijklmnopq\":1,\"abcdefghiXklmnopq\":2,\"\":3,\"abcdefgh\":4,\"abcdefg\":5}",
                // the same length, first and last eight bytes (so the same hash): told apart by the byte between
                "{\"abcdefghXijklmnop\":1,\"abcdefghYijklmnop\":2}",
                "{\"long\":\"0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\\\"tail\"}",
            })
    void plainLinesAreTakenAndEndAsJacksonsPathEndsThem(String line) throws IOException {
        assertTrue(take(line), line);
        assertEquals(outcome(line + "\n", false), outcome(line + "\n", true));
    }

    /**
     * Lines the fast path declines: whatever is wrong with them, or values it leaves to Jackson.
     * Nothing is added, and the whole body then decodes exactly as with Jackson alone (the same
     * documents, or the same error).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1,\"a\":2}",
                "{\"a\":{\"b\":1,\"b\":1}}",
                "{\"\":1,\"\":\"x\"}",
                "{\"abcdefghijklmnopq\":1,\"abcdefghijklmnopq\":2}",
                "{\"a\":1,\"b\":{\"\":1},\"\":{\"x\":1,\"x\":2}}",
                "{\"k\\u0065y\":1}",
                "{\"a\":1234567890123456789}",
                "{\"a\":9223372036854775808}",
                "{\"a\":1.2345678901234567}",
                "{\"a\":1e23}",
                "{\"a\":1e-23}",
                "{\"a\":1e400}",
                "{\"a\":01}",
                "{\"a\":-}",
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":1e}",
                "{\"a\":1x}",
                "{\"a\":1,}",
                "{\"a\":[1,]}",
                "{\"a\" 1}",
                "{\"a\":tru}",
                "{\"a\":nul}",
                "{\"a\":truex}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\uD800\"}",
                "{\"a\":\"\\uDC00\"}",
                "{\"a\":\"\\uD800\\u0041\"}",
                "{\"a\":\"\\u12G4\"}",
                "{\"a\":\"tab\there\"}",
                "{\"a\":\"open",
                "{\"a\":1}x",
                "{\"a\":1}{\"b\":2}",
                "[{\"a\":1}]",
                "\"a\"",
                "\uFEFF{\"a\":1}",
                "{\"timestamp\":1.5}",
                "{\"timestamp\":\"yesterday\"}",
                "{\"timestamp\":\"2026-11-29T22:21:35\\u002E507Z\"}",
                "{\"timestamp\":{\"at\":1}}",
                "{\"timestamp\":null}",
                "{\"timestamp\":12345678901234567890}",
                "{\"a\":1",
                "{\"a\":{",
                "{",
            })
    void otherLinesAreDeclinedAndDecodeAsWithJacksonAlone(String line) throws IOException {
        assertFalse(take(line), line);
        assertEquals(outcome(line + "\n", false), outcome(line + "\n", true));
    }

    @Test
    void aLineNestedDeeperThanTheLimitIsDeclined() throws IOException {
        // the root object is level 1: MAX_DEPTH objects in all are allowed, one more is not
        int max = DocumentDecoder.MAX_DEPTH;
        String deep = "{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1);
        String limit = "{\"a\":".repeat(max) + "1" + "}".repeat(max);
        assertFalse(take(deep));
        assertTrue(take(limit));
        assertEquals(outcome(deep + "\n", false), outcome(deep + "\n", true));
        assertEquals(outcome(limit + "\n", false), outcome(limit + "\n", true));
    }

    @Test
    void aDocumentOverTheSizeLimitIsDeclined() throws IOException {
        String fits = "{\"a\":\"" + "x".repeat((int) LIMIT - 10) + "\"}";
        String over = "{\"a\":\"" + "x".repeat((int) LIMIT) + "\"}";
        String overEscaped = "{\"a\":\"" + "\\n".repeat((int) LIMIT) + "\"}";
        assertTrue(take(fits));
        assertFalse(take(over));
        assertFalse(take(overEscaped));
        for (String line : List.of(fits, over, overEscaped)) {
            assertEquals(outcome(line + "\n", false), outcome(line + "\n", true));
        }
    }

    /** A map with many keys grows the key set; a duplicate far apart is still found. */
    @Test
    void duplicatesAreFoundInLargeMaps() throws IOException {
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; i < 300; i++) {
            line.append("\"k").append(i).append("\":").append(i).append(',');
        }
        String unique = line + "\"last\":1}";
        String duplicate = line + "\"k7\":1}";
        assertTrue(take(unique));
        assertFalse(take(duplicate));
        assertEquals(outcome(unique + "\n", false), outcome(unique + "\n", true));
        assertEquals(outcome(duplicate + "\n", false), outcome(duplicate + "\n", true));
    }

    /** One transcoder serves a whole body: state from one line never leaks into the next. */
    @Test
    void aBodyMixesTakenAndDeclinedLines() throws IOException {
        String body = "{\"a\":1,\"b\":\"x\"}\n{\"a\":1,\"b\":1e30}\n{\"b\":2,\"a\":[{\"a\":1}]}\n"
                + "{\"timestamp\":\"2026-11-29T00:00:00Z\",\"a\":\"\\uD83D\\uDE00\"}\n{\"a\":12345678901234567890}\n";
        assertEquals(outcome(body, false), outcome(body, true));
        assertEquals(5, decode(body, true).size());
    }

    /** Whether the fast path takes {@code line}; a taken line adds one document, a declined one none. */
    static boolean take(String line) {
        DecodeState state = new DecodeState("timestamp", LIMIT);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        boolean taken = new JsonLineTranscoder(state).document(bytes, bytes.length);
        assertEquals(taken ? 1 : 0, state.documentCount());
        return taken;
    }

    static List<DocumentToWrite> decode(String body, boolean fastPath) throws IOException {
        DecodeState state = new DecodeState("timestamp", LIMIT);
        new JsonBodyReader(JsonBodyReader.factory(LIMIT), state, fastPath)
                .readNdjson(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return state.documents();
    }

    /** What decoding {@code body} gives, comparable: each document's bytes and event time, or the error. */
    static String outcome(String body, boolean fastPath) throws IOException {
        try {
            StringBuilder s = new StringBuilder();
            for (DocumentToWrite doc : decode(body, fastPath)) {
                s.append(Arrays.toString(doc.source()))
                        .append(' ')
                        .append(doc.timestamp())
                        .append('\n');
            }
            return s.toString();
        } catch (InvalidDocumentException e) {
            return "error " + e.kind() + " " + e.getMessage();
        }
    }
}
