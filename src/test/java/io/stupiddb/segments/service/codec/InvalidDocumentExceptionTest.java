package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InvalidDocumentExceptionTest {

    @ParameterizedTest(name = "index {0}, line {1}")
    @CsvSource({
        "3, -1, element 3: bad",
        "0, -1, element 0: bad",
        "3, 7, line 7: bad",
        "-1, -1, request body: bad",
    })
    void theMessageSaysWhereTheLineWinsOverTheIndex(int index, int line, String message) {
        var e = new InvalidDocumentException(Kind.MALFORMED, index, line, "bad");
        assertEquals(message, e.getMessage());
        assertEquals("bad", e.detail());
        assertEquals(index, e.index());
        assertEquals(line, e.line());
    }

    @Test
    void onlyATooLargeDocumentIs413() {
        for (Kind kind : Kind.values()) {
            assertEquals(kind == Kind.TOO_LARGE ? 413 : 400, kind.status(), kind.name());
        }
    }
}
