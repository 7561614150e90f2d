package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming transcoder against a reference that shares none of its code: for random JSON
 * documents (nested objects and arrays, integers over the whole int64/uint64 range, finite doubles,
 * strings over all of Unicode including supplementary characters), the bytes stored from a JSON,
 * NDJSON or MessagePack body are exactly what Jackson's tree written by msgpack-core's packer gives
 * (decode to {@code JsonNode}, re-encode); a MessagePack body in the widest formats (not canonical)
 * is stored as the same canonical bytes; and every truncation of a valid JSON body is refused as
 * MALFORMED, the problem type the API answers {@code invalid-document} with. The other way, the
 * JSON written from a stored source by {@link SourceWriter} is the JSON that msgpack-jackson's parser
 * copied token by token into the same generator gives (the path it replaced).
 */
class TranscoderPropertyTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * A timestamp field the generated keys (lower-case letters) never hit: the event time stays out.
     * Limits far above what the generator makes (a few 70,000-character strings may pass 1 MiB).
     */
    private static final DocumentDecoder DECODER = new DocumentDecoder("@t", 64 * Bodies.MIB, 256 * Bodies.MIB);

    @Property(tries = 300)
    void jsonNdjsonAndMsgpackBodiesAreStoredAsTheTreeReEncoded(@ForAll("documents") ObjectNode doc) throws IOException {
        byte[] expected = Bodies.MSGPACK.writeValueAsBytes(doc);
        String json = Bodies.JSON.writeValueAsString(doc);
        assertStored(expected, BodyFormat.JSON, json.getBytes(StandardCharsets.UTF_8));
        assertStored(expected, BodyFormat.NDJSON, (json + "\n").getBytes(StandardCharsets.UTF_8));
        assertStored(expected, BodyFormat.MSGPACK, expected);
        assertStored(expected, BodyFormat.MSGPACK, widest(doc));
    }

    @Property(tries = 100)
    void aBatchStoresEachElementAsItsOwnReEncoding(@ForAll("documents") ObjectNode a, @ForAll("documents") ObjectNode b)
            throws IOException {
        ArrayNode batch = NODES.arrayNode().add(a).add(b);
        List<DocumentToWrite> fromJson = Bodies.decode(DECODER, Bodies.JSON.writeValueAsBytes(batch), BodyFormat.JSON);
        List<DocumentToWrite> fromMsgpack =
                Bodies.decode(DECODER, Bodies.MSGPACK.writeValueAsBytes(batch), BodyFormat.MSGPACK);
        for (List<DocumentToWrite> docs : List.of(fromJson, fromMsgpack)) {
            assertEquals(2, docs.size());
            assertArrayEquals(Bodies.MSGPACK.writeValueAsBytes(a), docs.get(0).source());
            assertArrayEquals(Bodies.MSGPACK.writeValueAsBytes(b), docs.get(1).source());
        }
    }

    @Property(tries = 200)
    void everyTruncatedJsonBodyIsMalformed(
            @ForAll("documents") ObjectNode doc, @ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        byte[] json = Bodies.JSON.writeValueAsBytes(doc);
        int keep = 1 + cut % (json.length - 1); // at least "{", never all of it
        byte[] truncated = Arrays.copyOf(json, keep);
        InvalidDocumentException e = Bodies.invalid(DECODER, truncated, BodyFormat.JSON);
        assertEquals(Kind.MALFORMED, e.kind(), e.getMessage());
        e = Bodies.invalid(DECODER, truncated, BodyFormat.NDJSON);
        assertEquals(Kind.MALFORMED, e.kind(), e.getMessage());
    }

    @Property(tries = 300)
    void storedSourcesAreRenderedAsTheParserCopiedThem(@ForAll("documents") ObjectNode doc) throws IOException {
        byte[] source = Bodies.MSGPACK.writeValueAsBytes(doc);
        assertEquals(renderByParser(source), render(source));
    }

    /** Float 32 values and big unsigned integers, which JSON bodies never produce but MessagePack ones keep. */
    @Property(tries = 300)
    void float32AndUint64AreRenderedAsTheParserCopiedThem(@ForAll float f, @ForAll long bits) throws IOException {
        byte[] source = Bodies.pack(p -> p.packMapHeader(2)
                .packString("f")
                .packFloat(f)
                .packString("u")
                .packBigInteger(new BigInteger(Long.toUnsignedString(bits))));
        assertEquals(renderByParser(source), render(source));
    }

    static String render(byte[] source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.jsonFactory().createGenerator(out)) {
            DocumentEncoder.writeSource(gen, source);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The reference: msgpack-jackson's parser, every token copied into a JSON generator. */
    static String renderByParser(byte[] source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.jsonFactory().createGenerator(out);
                JsonParser parser = new MessagePackFactory().createParser(source)) {
            parser.nextToken();
            gen.copyCurrentStructure(parser);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertStored(byte[] expected, BodyFormat format, byte[] body) {
        List<DocumentToWrite> docs = Bodies.decode(DECODER, body, format);
        assertEquals(1, docs.size());
        assertArrayEquals(expected, docs.getFirst().source(), () -> format + " body stored differently");
    }

    @Provide
    Arbitrary<ObjectNode> documents() {
        return object(3);
    }

    private static Arbitrary<ObjectNode> object(int depth) {
        Arbitrary<String> keys =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(40);
        return Arbitraries.maps(keys, value(depth - 1))
                .ofMaxSize(depth == 3 ? 20 : 5)
                .map(TranscoderPropertyTest::objectOf);
    }

    private static ObjectNode objectOf(Map<String, JsonNode> fields) {
        ObjectNode node = NODES.objectNode();
        fields.forEach(node::set);
        return node;
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.integers().between(-40, 300).map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.bigIntegers()
                        .between(
                                BigInteger.valueOf(Long.MAX_VALUE),
                                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))
                        .map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                text().map(NODES::textNode),
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<JsonNode> arrays = value(depth - 1).list().ofMaxSize(20).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars),
                Tuple.of(1, arrays),
                Tuple.of(1, object(depth).map(o -> (JsonNode) o)));
    }

    /** Strings of any Unicode scalar values (no lone surrogates), short and a few over 255 and 65,535 bytes. */
    private static Arbitrary<String> text() {
        Arbitrary<Integer> codePoints = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7f),
                Arbitraries.integers().between(0x80, 0xd7ff),
                Arbitraries.integers().between(0xe000, 0x10ffff));
        Arbitrary<String> any = codePoints.list().ofMaxSize(40).map(TranscoderPropertyTest::string);
        Arbitrary<String> longer = Combinators.combine(
                        Arbitraries.of(31, 32, 255, 256, 65_535, 70_000),
                        Arbitraries.chars().range('a', 'z'))
                .as((n, c) -> String.valueOf(c).repeat(n));
        return Arbitraries.frequencyOf(Tuple.of(20, any), Tuple.of(1, longer));
    }

    private static String string(List<Integer> codePoints) {
        StringBuilder s = new StringBuilder();
        codePoints.forEach(s::appendCodePoint);
        return s.toString();
    }

    /** The document as MessagePack in the widest formats (map 32, array 32, str 32, int 64): valid, not canonical. */
    static byte[] widest(JsonNode doc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeWide(doc, out);
        return out.toByteArray();
    }

    private static void writeWide(JsonNode node, ByteArrayOutputStream out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                header(out, 0xdf, node.size());
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    wideString(field.getKey(), out);
                    writeWide(field.getValue(), out);
                }
            }
            case ARRAY -> {
                header(out, 0xdd, node.size());
                node.forEach(item -> writeWide(item, out));
            }
            case STRING -> wideString(node.textValue(), out);
            case BOOLEAN -> out.write(node.booleanValue() ? 0xc3 : 0xc2);
            case NULL -> out.write(0xc0);
            case NUMBER -> {
                if (node.isFloatingPointNumber()) {
                    out.write(0xcb);
                    be(out, Double.doubleToRawLongBits(node.doubleValue()), 8);
                } else if (node.isBigInteger() && node.bigIntegerValue().bitLength() > 63) {
                    out.write(0xcf);
                    be(out, node.bigIntegerValue().longValue(), 8);
                } else {
                    out.write(0xd3);
                    be(out, node.longValue(), 8);
                }
            }
            default -> throw new IllegalArgumentException(node.getNodeType().toString());
        }
    }

    private static void wideString(String s, ByteArrayOutputStream out) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        header(out, 0xdb, utf8.length);
        out.writeBytes(utf8);
    }

    private static void header(ByteArrayOutputStream out, int format, int n) {
        out.write(format);
        be(out, n, 4);
    }

    private static void be(ByteArrayOutputStream out, long v, int n) {
        for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift) & 0xff);
        }
    }
}
