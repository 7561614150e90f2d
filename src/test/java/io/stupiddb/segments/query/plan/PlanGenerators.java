package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Random documents and filters for the planner's properties. The mixed documents, the scalars
 * and the filters are those of the query package's FilterPropertyTest (its generators are
 * private to that class, so they are repeated here rather than shared); the typed documents are
 * new: one type per path with some rows missing or of another kind, the shape real blocks have,
 * so that single-kind columns, dictionaries, blooms and min/max skips are all exercised.
 */
final class PlanGenerators {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    static final List<String> KEYS = List.of("a", "b", "c");
    static final List<String> PATHS = List.of("a", "b", "c", "a.b", "a.c", "b.a", "a.b.c");

    private PlanGenerators() {}

    static byte[] msgpack(JsonNode document) {
        try {
            return MSGPACK.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- documents ---------------------------------------------------------------------------

    /** A block's documents: mixed shapes, or typed per path. */
    static Arbitrary<List<JsonNode>> blocks() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, mixed(3).list().ofMinSize(1).ofMaxSize(40)), Tuple.of(3, typedBlock()));
    }

    static Arbitrary<JsonNode> mixed(int depth) {
        return Arbitraries.maps(Arbitraries.of(KEYS), value(depth - 1))
                .ofMaxSize(3)
                .map(PlanGenerators::toObject);
    }

    private static Arbitrary<JsonNode> value(int depth) {
        if (depth <= 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalar()),
                Tuple.of(2, Arbitraries.lazy(() -> mixed(depth))),
                Tuple.of(
                        2,
                        Arbitraries.lazy(() -> value(depth - 1))
                                .list()
                                .ofMaxSize(3)
                                .map(PlanGenerators::toArray)));
    }

    /** Scalars bunched around the edges: 1 vs 1.0, -0.0, 2^53, 2^63, 2^64-1, code point order, null. */
    static Arbitrary<JsonNode> scalar() {
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

    /** Scalars of one type, for typed blocks. */
    private static Arbitrary<JsonNode> typed(int type) {
        return switch (type) {
            case 0 -> Arbitraries.integers().between(-3, 3).map(NODES::numberNode);
            case 1 ->
                Arbitraries.oneOf(
                        Arbitraries.integers().between(-3, 3).map(NODES::numberNode),
                        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 9_007_199_254_740_993L)
                                .map(NODES::numberNode));
            case 2 ->
                Arbitraries.of(-1.5, -0.0, 0.0, 0.5, 1.0, 2.0, 2.5, 9.223372036854775807E18)
                        .map(NODES::numberNode);
            case 3 -> Arbitraries.of("", "a", "ab", "b", "B", "é", "😀", "～").map(NODES::textNode);
            case 4 -> Arbitraries.strings().withChars("ab😀é").ofMaxLength(4).map(NODES::textNode);
            case 5 -> Arbitraries.of(true, false).map(NODES::booleanNode);
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    /** Per path one type; each row misses a path or has an odd value now and then. */
    static Arbitrary<List<JsonNode>> typedBlock() {
        Arbitrary<int[]> types =
                Arbitraries.integers().between(0, 5).array(int[].class).ofSize(5);
        return types.flatMap(t -> {
            Arbitrary<JsonNode> row = Combinators.combine(cell(t[0]), cell(t[1]), cell(t[2]), cell(t[3]), cell(t[4]))
                    .as((a, b, c, ab, ac) -> {
                        ObjectNode doc = NODES.objectNode();
                        ObjectNode inner = NODES.objectNode();
                        put(inner, "b", ab);
                        put(inner, "c", ac);
                        if (a != null) {
                            doc.set("a", a.isObject() || !inner.isEmpty() ? inner : a);
                        } else if (!inner.isEmpty()) {
                            doc.set("a", inner);
                        }
                        put(doc, "b", b);
                        put(doc, "c", c);
                        return (JsonNode) doc;
                    });
            return row.list().ofMinSize(1).ofMaxSize(40);
        });
    }

    private static void put(ObjectNode object, String key, JsonNode value) {
        if (value != null) {
            object.set(key, value);
        }
    }

    /** Mostly the path's type; sometimes missing (null here), another scalar, or an array. */
    private static Arbitrary<JsonNode> cell(int type) {
        return Arbitraries.frequencyOf(
                Tuple.of(16, typed(type)),
                Tuple.of(3, Arbitraries.just((JsonNode) null)),
                Tuple.of(1, scalar()),
                Tuple.of(1, typed(type).list().ofMaxSize(2).map(PlanGenerators::toArray)));
    }

    // ---- filters -----------------------------------------------------------------------------

    static Arbitrary<JsonNode> filters() {
        return filter(2);
    }

    private static Arbitrary<JsonNode> filter(int depth) {
        Arbitrary<JsonNode> fields = Arbitraries.maps(Arbitraries.of(PATHS), condition(1))
                .ofMinSize(1)
                .ofMaxSize(2)
                .map(PlanGenerators::toObject);
        if (depth <= 0) {
            return fields;
        }
        Arbitrary<JsonNode> branches = Arbitraries.lazy(() -> filter(depth - 1))
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(PlanGenerators::toArray);
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

    /**
     * One operator (or a {@code $not} of one) on one of the typed paths: every leaf test meets
     * every column kind and encoding often, which random compound filters only do rarely.
     */
    static Arbitrary<JsonNode> leafFilters() {
        Arbitrary<String> operator =
                Arbitraries.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$prefix");
        Arbitrary<JsonNode> single = operator.flatMap(op ->
                argument(op, 0).map(arg -> (JsonNode) NODES.objectNode().set(op, arg)));
        Arbitrary<JsonNode> condition =
                Arbitraries.frequencyOf(Tuple.of(1, literal()), Tuple.of(6, single), Tuple.of(1, single.map(inner ->
                        (JsonNode) NODES.objectNode().set("$not", inner))));
        return Combinators.combine(Arbitraries.of("b", "c", "a.b", "a.c"), condition)
                .as((path, c) -> (JsonNode) NODES.objectNode().set(path, c));
    }

    private static Arbitrary<JsonNode> condition(int depth) {
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
        return Arbitraries.frequencyOf(Tuple.of(1, literal()), Tuple.of(3, operators));
    }

    /** Filter constants: the edge scalars plus values between and around the typed ones. */
    private static Arbitrary<JsonNode> literal() {
        // Mostly values inside or next to the typed blocks' ranges, so that tests split blocks
        // row by row (an off-by-one at a range bound must show); the edge scalars now and then.
        return Arbitraries.frequencyOf(
                Tuple.of(2, scalar()),
                Tuple.of(4, Arbitraries.integers().between(-4, 4).map(NODES::numberNode)),
                Tuple.of(
                        2,
                        Arbitraries.of(-4.0, -1.5, -0.0, 0.0, 0.25, 1.0, 1.5, 2.5, 3.5, -0.5, 1e300)
                                .map(NODES::numberNode)),
                Tuple.of(
                        3,
                        Arbitraries.of("", "a", "ab", "b", "B", "é", "😀", "～", "a😀", "aa", "b😀", "é😀")
                                .map(NODES::textNode)),
                Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)));
    }

    private static Arbitrary<JsonNode> argument(String operator, int depth) {
        return switch (operator) {
            case "$eq", "$ne" -> literal();
            case "$gt", "$gte", "$lt", "$lte" -> literal().filter(v -> v.isNumber() || v.isTextual());
            case "$in", "$nin" -> literal().list().ofMaxSize(4).map(PlanGenerators::toArray);
            case "$exists" -> Arbitraries.of(true, false).map(NODES::booleanNode);
            case "$prefix" -> Arbitraries.of("", "a", "b", "é", "😀", "ab").map(NODES::textNode);
            case "$not" -> condition(depth - 1).filter(JsonNode::isObject);
            default -> throw new IllegalArgumentException(operator);
        };
    }

    static JsonNode toObject(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }

    static JsonNode toArray(List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode();
        elements.forEach(array::add);
        return array;
    }
}
