package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.stupiddb.segments.store.DocumentToWrite;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * decode(JSON) → MessagePack → encode → JSON gives the input tree back; the MessagePack response is
 * itself a body that decodes to the same bytes; NDJSON and JSON arrays decode alike.
 */
class DocumentRoundTripTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 300)
    void jsonSurvivesDecodeAndEncode(@ForAll("documents") ObjectNode doc) throws IOException {
        String text = Bodies.JSON.writeValueAsString(doc);
        DocumentToWrite parsed = Bodies.json(text).getFirst();
        String back = encodeJson(parsed.source());
        assertEquals(Bodies.jsonTree(text), Bodies.jsonTree(back), () -> ascii(text) + "\n" + ascii(back));
    }

    /** For failure messages: surefire's XML report drops control characters. */
    static String ascii(String json) {
        StringBuilder sb = new StringBuilder();
        json.codePoints()
                .forEach(cp ->
                        sb.append(cp >= 0x20 && cp < 0x7f ? Character.toString(cp) : String.format("\\u{%x}", cp)));
        return sb.toString();
    }

    @Property(tries = 200)
    void msgpackResponsesDecodeToTheSameBytes(@ForAll("documents") ObjectNode doc) throws IOException {
        byte[] stored =
                Bodies.json(Bodies.JSON.writeValueAsString(doc)).getFirst().source();
        var out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.msgpackFactory().createGenerator(out)) {
            DocumentEncoder.writeSource(gen, stored);
        }
        assertArrayEquals(stored, Bodies.msgpack(out.toByteArray()).getFirst().source());
    }

    @Property(tries = 100)
    void ndjsonAndJsonArraysDecodeAlike(@ForAll("batches") List<ObjectNode> docs) throws IOException {
        StringBuilder ndjson = new StringBuilder();
        for (ObjectNode doc : docs) {
            ndjson.append(Bodies.JSON.writeValueAsString(doc)).append('\n');
        }
        List<DocumentToWrite> fromArray = Bodies.json(Bodies.JSON.writeValueAsString(docs));
        List<DocumentToWrite> fromLines = Bodies.ndjson(ndjson.toString());
        assertEquals(fromArray.size(), fromLines.size());
        for (int i = 0; i < docs.size(); i++) {
            assertArrayEquals(fromArray.get(i).source(), fromLines.get(i).source());
        }
    }

    @Example
    void edgeValuesRoundTrip() throws IOException {
        String text = "{\"max\":9223372036854775807,\"min\":-9223372036854775808,\"u64\":18446744073709551615,"
                + "\"d\":[0.1,-0.0,4.9E-324,1.7976931348623157E308,1.0,-2.5E-10],"
                + "\"s\":\"\\u0000\\u001f\\\"\\\\/ é ✓ 日本 😀\",\"e\":{},\"a\":[],"
                + "\"n\":[[[[]]],[{}],[null,true,false]],\"\":\"empty key\"}";
        DocumentToWrite parsed = Bodies.json(text).getFirst();
        assertEquals(Bodies.jsonTree(text), Bodies.jsonTree(encodeJson(parsed.source())));
    }

    static String encodeJson(byte[] msgpack) throws IOException {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.jsonFactory().createGenerator(out)) {
            DocumentEncoder.writeSource(gen, msgpack);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<ObjectNode> documents() {
        return objects(4);
    }

    @Provide
    Arbitrary<List<ObjectNode>> batches() {
        return objects(3).list().ofMinSize(1).ofMaxSize(5);
    }

    /** Random JSON objects nested up to {@code depth} levels; also TranscoderPropertyTest's documents. */
    static Arbitrary<ObjectNode> objects(int depth) {
        // Keys of at most 8 characters: never the 9-character "timestamp" field.
        return Arbitraries.maps(text().ofMaxLength(8), values(depth - 1))
                .ofMaxSize(6)
                .map(map -> {
                    ObjectNode node = NODES.objectNode();
                    map.forEach(node::set);
                    return node;
                });
    }

    private static Arbitrary<JsonNode> values(int depth) {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                text().ofMaxLength(20).map(TextNode::valueOf),
                Arbitraries.of("😀", "𝄞", "日本", "é", "\u0000", "\"", "\\", "\n", "\u2028")
                        .list()
                        .ofMaxSize(6)
                        .map(parts -> TextNode.valueOf(String.join("", parts))),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.of(0L, -1L, 127L, 128L, -32L, -33L, Long.MAX_VALUE, Long.MIN_VALUE)
                        .map(LongNode::valueOf),
                Arbitraries.bigIntegers()
                        .between(
                                BigInteger.ONE.shiftLeft(63),
                                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))
                        .map(BigIntegerNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1e-300)
                        .map(DoubleNode::valueOf),
                Arbitraries.of(true, false).map(BooleanNode::valueOf),
                Arbitraries.just(NullNode.getInstance()));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<JsonNode> arrays = values(depth - 1).list().ofMaxSize(5).map(list -> {
            ArrayNode node = NODES.arrayNode();
            list.forEach(node::add);
            return node;
        });
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars),
                Tuple.of(1, arrays),
                Tuple.of(1, objects(depth).map(o -> (JsonNode) o)));
    }

    private static net.jqwik.api.arbitraries.StringArbitrary text() {
        // Any BMP character but surrogates (a lone surrogate is not text), plus astral ones as whole pairs above.
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD');
    }
}
