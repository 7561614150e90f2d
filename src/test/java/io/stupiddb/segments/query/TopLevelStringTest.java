package io.stupiddb.segments.query;

import io.stupiddb.segments.testing.TestDocuments;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopLevelStringTest {
    private final TopLevelString retention = new TopLevelString("retention");

    private Optional<String> read(Map<String, Object> document) {
        return retention.in(TestDocuments.msgpack(document));
    }

    @Test
    void findsTheTopLevelStringWhereverItIs() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("nested", Map.of("retention", "inner", "list", List.of(1, "x", Map.of("a", 1))));
        doc.put("retentio", "prefix");
        doc.put("retentions", "longer");
        doc.put("n", 12345678901L);
        doc.put("retention", "audit");
        assertEquals(Optional.of("audit"), read(doc));
    }

    @Test
    void emptyWhenAbsentNestedOnlyOrNotAString() {
        assertEquals(Optional.empty(), read(Map.of("msg", "x")));
        assertEquals(Optional.empty(), read(Map.of("nested", Map.of("retention", "audit"))));
        assertEquals(Optional.empty(), read(Map.of("retention", 400)));
        assertEquals(Optional.empty(), read(Map.of("retention", List.of("audit"))));
        assertEquals(Optional.empty(), read(Map.of("retention", Map.of("class", "audit"))));
        assertEquals(Optional.empty(), read(Map.of()));
    }

    @Test
    void readsLongStringsAndUnicode() {
        String name = "ä".repeat(200); // str16 header
        assertEquals(Optional.of(name), read(Map.of("retention", name)));
        assertEquals(Optional.of("ünï"), new TopLevelString("clé").in(TestDocuments.msgpack(Map.of("clé", "ünï"))));
    }

    @Test
    void malformedOrTruncatedDocumentsFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> retention.in(TestDocuments.msgpack(List.of(1))));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", "b");
        doc.put("retention", "audit"); // last: every cut is before the value is complete
        byte[] whole = TestDocuments.msgpack(doc);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            assertThrows(IllegalArgumentException.class, () -> retention.in(truncated), "cut at " + cut);
        }
    }
}
