package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stupiddb.segments.testing.FilterGenerators;
import io.stupiddb.segments.testing.TestDocuments;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Random documents (nested objects and arrays of scalars chosen around the edge cases) against
 * random filters over a small set of paths, so that they often meet: the MessagePack path, the
 * JsonNode path and the naive {@link ReferenceFilter} must always agree.
 */
class FilterPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> KEYS = List.of("a", "b", "c");
    private static final List<String> PATHS = List.of("a", "b", "c", "a.b", "a.c", "b.a", "a.b.c");

    @Property(tries = 2_000)
    void encodedAndTreeEvaluationAgreeWithTheModel(
            @ForAll("documents") JsonNode document, @ForAll("filters") JsonNode filterJson) {
        Filter filter = Filter.parse(filterJson);
        byte[] encoded = TestDocuments.msgpack(document);
        boolean expected = ReferenceFilter.matches(filterJson, document);
        Statistics.label("matches").collect(expected);
        // Guards the generators: a model that almost always says the same thing tests little.
        Statistics.label("matches").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 20);
            coverage.check(false).percentage(p -> p > 20);
        });

        assertEquals(expected, filter.matches(document), "JsonNode path");
        assertEquals(expected, filter.matches(encoded), "byte[] path");
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length + 3).position(3);
        direct.put(encoded).position(3);
        assertEquals(expected, filter.matches(direct.asReadOnlyBuffer()), "read-only direct buffer");
    }

    @Property(tries = 500)
    void textAndTreeParseToTheSameFilter(@ForAll("filters") JsonNode filterJson) {
        assertEquals(
                Filter.parse(filterJson).toString(),
                Filter.parse(filterJson.toString()).toString());
    }

    /** Any strict prefix of a document is refused (the walk reads every top-level entry). */
    @Property(tries = 300)
    void truncatedDocumentsAreRefused(@ForAll("documents") JsonNode document, @ForAll("filters") JsonNode filterJson) {
        Filter filter = Filter.parse(filterJson);
        if (filter.isMatchAll() || filter.toString().equals("false")) {
            return; // constant filters never read the document
        }
        byte[] encoded = TestDocuments.msgpack(document);
        for (int cut = 0; cut < encoded.length; cut++) {
            int length = cut;
            assertThrows(IllegalArgumentException.class, () -> filter.matches(encoded, 0, length));
        }
    }

    /** Random bytes give an answer or an IllegalArgumentException, nothing else. */
    @Property(tries = 1_000)
    void garbageNeverEscapesAsAnotherException(@ForAll byte[] garbage, @ForAll("filters") JsonNode filterJson) {
        Filter filter = Filter.parse(filterJson);
        try {
            filter.matches(garbage);
        } catch (IllegalArgumentException expected) {
            // fine: malformed input
        }
    }

    // ---- generators (shared with the planner's properties: testing.FilterGenerators) ----------

    @Provide
    Arbitrary<JsonNode> documents() {
        return FilterGenerators.mixed(3);
    }

    @Provide
    Arbitrary<JsonNode> filters() {
        return FilterGenerators.filters(FilterGenerators::scalar);
    }
}
