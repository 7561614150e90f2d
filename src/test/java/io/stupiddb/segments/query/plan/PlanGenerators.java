package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.testing.FilterGenerators;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Random documents and filters for the planner's properties. The mixed documents, the scalars
 * and the filters are {@link FilterGenerators}' (shared with the query package's
 * FilterPropertyTest), the filters with constants biased towards the typed blocks' values
 * ({@link #literal}); the typed documents are new: one type per path with some rows missing or of another kind, the shape real blocks have,
 * so that single-kind columns, dictionaries, blooms and min/max skips are all exercised.
 */
public final class PlanGenerators {

    static final JsonNodeFactory NODES = FilterGenerators.NODES;
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    static final List<String> PATHS = FilterGenerators.PATHS;

    private PlanGenerators() {}

    public static byte[] msgpack(JsonNode document) {
        try {
            return MSGPACK.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- documents ---------------------------------------------------------------------------

    /** A block's documents: mixed shapes, or typed per path. */
    public static Arbitrary<List<JsonNode>> blocks() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, mixed(3).list().ofMinSize(1).ofMaxSize(40)), Tuple.of(3, typedBlock()));
    }

    static Arbitrary<JsonNode> mixed(int depth) {
        return FilterGenerators.mixed(depth);
    }

    static Arbitrary<JsonNode> scalar() {
        return FilterGenerators.scalar();
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

    public static Arbitrary<JsonNode> filters() {
        return FilterGenerators.filters(PlanGenerators::literal);
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
        return FilterGenerators.argument(operator, depth, PlanGenerators::literal);
    }

    static JsonNode toObject(Map<String, JsonNode> fields) {
        return FilterGenerators.toObject(fields);
    }

    static JsonNode toArray(List<JsonNode> elements) {
        return FilterGenerators.toArray(elements);
    }
}
