package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.testing.TestDocuments;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

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

    // ---- generators --------------------------------------------------------------------------

    @Provide
    Arbitrary<JsonNode> documents() {
        return object(3);
    }

    private Arbitrary<JsonNode> object(int depth) {
        return Arbitraries.maps(Arbitraries.of(KEYS), value(depth - 1))
                .ofMaxSize(3)
                .map(FilterPropertyTest::toObject);
    }

    private Arbitrary<JsonNode> value(int depth) {
        if (depth <= 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar()),
                Tuple.of(2, Arbitraries.lazy(() -> object(depth))),
                Tuple.of(
                        2,
                        Arbitraries.lazy(() -> value(depth - 1))
                                .list()
                                .ofMaxSize(3)
                                .map(FilterPropertyTest::toArray)));
    }

    /** Scalars bunched around the edges: 1 vs 1.0, -0.0, 2^53, 2^63, 2^64-1, code point order, null. */
    private static Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 3).map(NODES::numberNode),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 9_007_199_254_740_992L, 9_007_199_254_740_993L)
                        .map(NODES::numberNode),
                Arbitraries.of("9223372036854775808", "18446744073709551615")
                        .map(text -> NODES.numberNode(new BigInteger(text))),
                Arbitraries.of(
                                -1.5,
                                -0.0,
                                0.5,
                                1.0,
                                2.0,
                                9.007199254740992E15,
                                9.223372036854775807E18,
                                1.8446744073709552E19)
                        .map(NODES::numberNode),
                Arbitraries.of("", "a", "ab", "b", "B", "é", "😀", "～").map(NODES::textNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
    }

    @Provide
    Arbitrary<JsonNode> filters() {
        return filter(2);
    }

    private Arbitrary<JsonNode> filter(int depth) {
        Arbitrary<JsonNode> fields = Arbitraries.maps(Arbitraries.of(PATHS), condition(1))
                .ofMinSize(1)
                .ofMaxSize(2)
                .map(FilterPropertyTest::toObject);
        if (depth <= 0) {
            return fields;
        }
        Arbitrary<JsonNode> branches = Arbitraries.lazy(() -> filter(depth - 1))
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(FilterPropertyTest::toArray);
        return Arbitraries.frequencyOf(
                Tuple.of(6, fields),
                Tuple.of(1, branches.map(b -> (JsonNode) NODES.objectNode().set("$and", b))),
                Tuple.of(2, branches.map(b -> (JsonNode) NODES.objectNode().set("$or", b))),
                Tuple.of(1, Arbitraries.lazy(() -> filter(depth - 1)).map(f ->
                        (JsonNode) NODES.objectNode().set("$not", f))),
                Tuple.of(1, Combinators.combine(fields, branches).as((f, b) ->
                        (JsonNode) ((ObjectNode) f.deepCopy()).set("$or", b))),
                Tuple.of(1, Arbitraries.just(NODES.objectNode())));
    }

    /** A field's condition: a constant (implicit equality) or an object of operators. */
    private Arbitrary<JsonNode> condition(int depth) {
        Arbitrary<JsonNode> operators = Arbitraries.maps(
                        Arbitraries.of(
                                "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$prefix",
                                "$not"),
                        Arbitraries.just(0))
                .ofMinSize(1)
                .ofMaxSize(2)
                .flatMap(names -> {
                    List<Arbitrary<Map.Entry<String, JsonNode>>> entries = names.keySet().stream()
                            .filter(name -> depth > 0 || !name.equals("$not"))
                            .map(name -> argument(name, depth).map(arg -> Map.entry(name, arg)))
                            .toList();
                    if (entries.isEmpty()) {
                        return Arbitraries.just((JsonNode) NODES.objectNode().put("$exists", true));
                    }
                    return Combinators.combine(entries).as(list -> {
                        ObjectNode object = NODES.objectNode();
                        list.forEach(e -> object.set(e.getKey(), e.getValue()));
                        return (JsonNode) object;
                    });
                });
        return Arbitraries.frequencyOf(Tuple.of(1, scalar()), Tuple.of(3, operators));
    }

    private Arbitrary<JsonNode> argument(String operator, int depth) {
        return switch (operator) {
            case "$eq", "$ne" -> scalar();
            case "$gt", "$gte", "$lt", "$lte" -> scalar().filter(v -> v.isNumber() || v.isTextual());
            case "$in", "$nin" -> scalar().list().ofMaxSize(4).map(FilterPropertyTest::toArray);
            case "$exists" -> Arbitraries.of(true, false).map(NODES::booleanNode);
            case "$prefix" -> Arbitraries.of("", "a", "b", "é", "😀", "ab").map(NODES::textNode);
            case "$not" -> condition(depth - 1).filter(JsonNode::isObject);
            default -> throw new IllegalArgumentException(operator);
        };
    }

    private static JsonNode toObject(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }

    private static JsonNode toArray(List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode();
        elements.forEach(array::add);
        return array;
    }
}
