package io.stupiddb.segments.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * jqwik generators of random JSON documents and filters over a few short keys, for the
 * properties that compare an evaluator with the reference ({@code query/FilterPropertyTest}) or a
 * planner with brute force ({@code query/plan}): mixed shapes (nested objects, arrays, every scalar
 * kind on one path), scalars bunched around the edges, and filters of every operator and logical
 * combinator. Filter constants come from the caller, so a property can bias them towards the
 * values its documents hold.
 */
public final class FilterGenerators {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final List<String> KEYS = List.of("a", "b", "c");
    public static final List<String> PATHS = List.of("a", "b", "c", "a.b", "a.c", "b.a", "a.b.c");

    private FilterGenerators() {}

    /** Objects of up to three of {@link #KEYS}, nested up to {@code depth} levels. */
    public static Arbitrary<JsonNode> mixed(int depth) {
        return Arbitraries.maps(Arbitraries.of(KEYS), value(depth - 1))
                .ofMaxSize(3)
                .map(FilterGenerators::toObject);
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
                                .map(FilterGenerators::toArray)));
    }

    /** Scalars bunched around the edges: 1 vs 1.0, -0.0, 2^53, 2^63, 2^64-1, code point order, null. */
    public static Arbitrary<JsonNode> scalar() {
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

    /** Filters on {@link #PATHS}, two levels of $and/$or/$not deep, with constants from {@code constants}. */
    public static Arbitrary<JsonNode> filters(Supplier<Arbitrary<JsonNode>> constants) {
        return filter(2, constants);
    }

    private static Arbitrary<JsonNode> filter(int depth, Supplier<Arbitrary<JsonNode>> constants) {
        Arbitrary<JsonNode> fields = Arbitraries.maps(Arbitraries.of(PATHS), condition(1, constants))
                .ofMinSize(1)
                .ofMaxSize(2)
                .map(FilterGenerators::toObject);
        if (depth <= 0) {
            return fields;
        }
        Arbitrary<JsonNode> branches = Arbitraries.lazy(() -> filter(depth - 1, constants))
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(FilterGenerators::toArray);
        return Arbitraries.frequencyOf(
                Tuple.of(6, fields),
                Tuple.of(1, branches.map(b -> (JsonNode) NODES.objectNode().set("$and", b))),
                Tuple.of(2, branches.map(b -> (JsonNode) NODES.objectNode().set("$or", b))),
                Tuple.of(1, Arbitraries.lazy(() -> filter(depth - 1, constants)).map(f ->
                        (JsonNode) NODES.objectNode().set("$not", f))),
                Tuple.of(1, Combinators.combine(fields, branches).as((f, b) ->
                        (JsonNode) ((ObjectNode) f.deepCopy()).set("$or", b))),
                Tuple.of(1, Arbitraries.just(NODES.objectNode())));
    }

    /** A field's condition: a constant (implicit equality) or an object of operators. */
    private static Arbitrary<JsonNode> condition(int depth, Supplier<Arbitrary<JsonNode>> constants) {
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
                            .map(name -> argument(name, depth, constants).map(arg -> Map.entry(name, arg)))
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
        return Arbitraries.frequencyOf(Tuple.of(1, constants.get()), Tuple.of(3, operators));
    }

    /** The argument of {@code operator}, with constants from {@code constants}. */
    public static Arbitrary<JsonNode> argument(String operator, int depth, Supplier<Arbitrary<JsonNode>> constants) {
        return switch (operator) {
            case "$eq", "$ne" -> constants.get();
            case "$gt", "$gte", "$lt", "$lte" -> constants.get().filter(v -> v.isNumber() || v.isTextual());
            case "$in", "$nin" -> constants.get().list().ofMaxSize(4).map(FilterGenerators::toArray);
            case "$exists" -> Arbitraries.of(true, false).map(NODES::booleanNode);
            case "$prefix" -> Arbitraries.of("", "a", "b", "é", "😀", "ab").map(NODES::textNode);
            case "$not" -> condition(depth - 1, constants).filter(JsonNode::isObject);
            default -> throw new IllegalArgumentException(operator);
        };
    }

    public static JsonNode toObject(Map<String, JsonNode> fields) {
        ObjectNode object = NODES.objectNode();
        fields.forEach(object::set);
        return object;
    }

    public static JsonNode toArray(List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode();
        elements.forEach(array::add);
        return array;
    }
}
