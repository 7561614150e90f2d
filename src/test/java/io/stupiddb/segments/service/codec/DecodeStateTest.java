package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules every body format shares, driven directly as a reader drives them. */
class DecodeStateTest {

    private final DecodeState state = new DecodeState("ts", 1 << 20);

    @Test
    void aFinishedDocumentIsTheBuiltMapWithItsEventTimeOrNone() {
        state.startDocument();
        state.startMap();
        assertTrue(state.isNewKey("ts"));
        assertTrue(state.key("ts", utf8("ts")));
        state.out().integer(7);
        state.timestamp(7);
        state.out().end();
        state.finishDocument();

        state.startDocument(); // the event time does not carry over
        state.startMap();
        state.out().end();
        state.finishDocument();

        assertEquals(2, state.documentCount());
        DocumentToWrite first = state.documents().getFirst();
        assertEquals(OptionalLong.of(7), first.timestamp());
        assertArrayEquals(Bodies.pack(p -> p.packMapHeader(1).packString("ts").packLong(7)), first.source());
        assertEquals(OptionalLong.empty(), state.documents().get(1).timestamp());
        assertThrows(
                UnsupportedOperationException.class, () -> state.documents().clear());
    }

    @Test
    void keysAreUniquePerMapNotPerDocument() {
        state.startDocument();
        state.startMap();
        assertTrue(state.isNewKey("a"));
        assertFalse(state.isNewKey("a"));
        state.key("a", utf8("a"));
        state.startMap();
        assertTrue(state.isNewKey("a"), "a nested map has its own keys");
        state.out().end();
        state.key("b", utf8("b"));
        state.startMap();
        assertTrue(state.isNewKey("a"), "a sibling map at the same depth starts empty");
    }

    @Test
    void onlyTheTopLevelTimestampFieldIsTheEventTime() {
        state.startDocument();
        state.startMap();
        assertFalse(state.key("other", utf8("other")));
        state.startMap();
        assertFalse(state.key("ts", utf8("ts")), "nested");
        state.out().end();
        assertTrue(state.key("ts", utf8("ts")));
    }

    @Test
    void nestingBeyondTheLimitIsMalformed() {
        state.startDocument();
        state.element(2);
        state.startMap();
        for (int d = 2; d <= DocumentDecoder.MAX_DEPTH; d++) {
            state.startArray();
        }
        var e = assertThrows(InvalidDocumentException.class, state::startMap);
        assertInvalid(e, Kind.MALFORMED, 2, "element 2: nested deeper than 64 levels");
        assertThrows(InvalidDocumentException.class, state::startArray);
    }

    @Test
    void aDocumentOverTheSizeLimitIsTooLargeWithItsSize() {
        DecodeState small = new DecodeState("ts", 64);
        small.startDocument();
        small.element(0);
        small.startMap();
        small.key("k", utf8("k"));
        byte[] big = new byte[100];
        small.out().string(big, 0, big.length);
        small.out().end();
        var e = assertThrows(InvalidDocumentException.class, small::finishDocument);
        assertInvalid(
                e, Kind.TOO_LARGE, 0, "element 0: document is 105 bytes, larger than segments.max-document-size (64)");
        assertEquals(0, small.documentCount());
    }

    @Test
    void errorsNameTheElementTheLineOrTheBody() {
        assertEquals("request body: x", state.fail(Kind.MALFORMED, "x").getMessage());
        state.element(3);
        assertEquals("element 3: x", state.fail(Kind.MALFORMED, "x").getMessage());
        assertFalse(state.inLine());
        assertEquals("request body: x", state.body(Kind.MALFORMED, "x").getMessage(), "body ignores where reading is");
        state.line(1, 5);
        var e = state.fail(Kind.NOT_AN_OBJECT, "x");
        assertEquals("line 5: x", e.getMessage());
        assertEquals(1, e.index());
        assertTrue(state.inLine());
        state.wholeBody();
        assertEquals("request body: x", state.fail(Kind.MALFORMED, "x").getMessage());
    }

    @Test
    void timestampValuesAreJudgedWithOneSetOfMessages() {
        state.element(0);
        assertEquals(1795600800123L, state.rfc3339("2026-11-25T10:00:00.123Z"));
        assertInvalid(
                assertThrows(InvalidDocumentException.class, () -> state.rfc3339("yesterday")),
                Kind.BAD_TIMESTAMP,
                0,
                "field 'ts': 'yesterday' is not an RFC 3339 date-time such as 2026-11-25T10:00:00Z (");
        assertInvalid(
                state.epochOutOfRange("9".repeat(70)),
                Kind.BAD_TIMESTAMP,
                0,
                "field 'ts': epoch milliseconds " + "9".repeat(64) + "… are out of range");
        assertInvalid(
                state.badTimestampType("a boolean"),
                Kind.BAD_TIMESTAMP,
                0,
                "field 'ts' must be an RFC 3339 date-time such as 2026-11-25T10:00:00Z or integer epoch"
                        + " milliseconds (got a boolean)");
    }

    @Test
    void quotesAreCutAt64Characters() {
        assertEquals("'abc'", DecodeState.quote("abc"));
        assertEquals("'" + "k".repeat(64) + "…'", DecodeState.quote("k".repeat(65)));
        assertEquals("123", DecodeState.quoteNumber("123"));
        assertEquals(
                "duplicate key 'a' (line 1, column 9)",
                state.duplicateKey("a", " (line 1, column 9)").detail());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
