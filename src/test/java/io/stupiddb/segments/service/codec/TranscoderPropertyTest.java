package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
     * The default timestamp field, which the generated keys never are: the event time stays out.
     * Limits far above what the generator makes (many 70,000-character strings pass 1 MiB).
     */
    private static final DocumentDecoder DECODER = new DocumentDecoder("timestamp", 64 * Bodies.MIB, 256 * Bodies.MIB);

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

    /**
     * The direct JSON writer of the GET and NDJSON routes against Jackson's generator fed by
     * {@link SourceWriter} (itself checked against the parser above): the whole document, envelope
     * and source, byte for byte, for canonical and widest-format sources, several documents in one
     * buffer, and a reused buffer.
     */
    @Property(tries = 300)
    void theDirectJsonWriterWritesWhatTheGeneratorWrites(
            @ForAll("documents") ObjectNode doc, @ForAll long timestamp, @ForAll("segments") String segment)
            throws IOException {
        long ts = Math.floorMod(timestamp, 253_402_300_800_000L); // years 1970-9999, what Timestamps formats
        JsonDocumentWriter writer = new JsonDocumentWriter(16);
        for (byte[] source : List.of(Bodies.MSGPACK.writeValueAsBytes(doc), widest(doc))) {
            String expected = renderDocument(ts, segment, source);
            writer.reset();
            writer.document(ID, ts, segment, source);
            assertEquals(expected, new String(writer.toByteArray(), StandardCharsets.UTF_8));
            writer.put('\n').document(ID, ts, segment, source);
            assertEquals(expected + "\n" + expected, new String(writer.toByteArray(), StandardCharsets.UTF_8));
        }
    }

    @Property(tries = 300)
    void theDirectJsonWriterWritesFloat32Uint64AndNonFiniteDoublesAsTheGenerator(
            @ForAll float f, @ForAll long bits, @ForAll double d) throws IOException {
        for (double special : new double[] {d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0}) {
            byte[] source = Bodies.pack(p -> p.packMapHeader(3)
                    .packString("f")
                    .packFloat(f)
                    .packString("u")
                    .packBigInteger(new BigInteger(Long.toUnsignedString(bits)))
                    .packString("d")
                    .packDouble(special));
            JsonDocumentWriter writer = new JsonDocumentWriter(0).document(ID, 0, "s", source);
            assertEquals(renderDocument(0, "s", source), new String(writer.toByteArray(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Strings that mix the bytes JSON escapes with plain ASCII and multi-byte UTF-8 at every offset
     * and length around the writer's eight-byte steps.
     */
    @Property(tries = 500)
    void theDirectJsonWriterEscapesAtEveryOffset(@ForAll("awkwardText") String text) throws IOException {
        byte[] source = Bodies.pack(p -> p.packMapHeader(1).packString(text).packString(text));
        JsonDocumentWriter writer = new JsonDocumentWriter(0).document(ID, 0, "s", source);
        assertEquals(renderDocument(0, "s", source), new String(writer.toByteArray(), StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> awkwardText() {
        return Arbitraries.strings()
                .withChars(
                        'a', 'Z', ' ', '~', '"', '\\', '\n', '\t', '\b', '\f', '\r', '\u0000', '\u001f', '\u007f', '/')
                .withChars('é', '€', '\u2028')
                .withChars("\ud83d\ude00".toCharArray())
                .ofMaxLength(40); // a lone surrogate is packed as '?': the same source for both renderers
    }

    /**
     * The scan route's path: the cursor's current document read where the cursor holds it (a heap
     * buffer inside a larger array, bytes that JSON escapes right before and after it, or a direct
     * buffer, copied), the id written from the UUID's bits, any timestamp (years outside 0000-9999
     * included), the segment id remembered from one document to the next and changed between them.
     */
    @Property(tries = 300)
    void theCursorPathWritesWhatTheGeneratorWrites(
            @ForAll("documents") ObjectNode doc,
            @ForAll long msb,
            @ForAll long lsb,
            @ForAll long timestamp,
            @ForAll("segments") String segment,
            @ForAll @IntRange(max = 9) int before,
            @ForAll boolean direct)
            throws IOException {
        UUID id = new UUID(msb, lsb);
        byte[] source = Bodies.MSGPACK.writeValueAsBytes(doc);
        byte[] around = new byte[before + source.length + 8];
        Arrays.fill(around, (byte) '"');
        System.arraycopy(source, 0, around, before, source.length);
        ByteBuffer held = ByteBuffer.wrap(around, before, source.length).slice();
        if (direct) {
            held = ByteBuffer.allocateDirect(source.length).put(source).flip();
        }
        String expected = renderDocument(id.toString(), timestamp, segment, source);
        String other = renderDocument(id.toString(), timestamp, segment + "x", source);
        JsonDocumentWriter writer = new JsonDocumentWriter(16)
                .document(new OneDocument(id, timestamp, segment, held))
                .put('\n')
                .document(new OneDocument(id, timestamp, segment, held))
                .put('\n')
                .document(new OneDocument(id, timestamp, segment + "x", held));
        assertEquals(
                expected + "\n" + expected + "\n" + other, new String(writer.toByteArray(), StandardCharsets.UTF_8));
    }

    /** A cursor standing on one document, as the store's cursors hand theirs out. */
    private record OneDocument(UUID id, long timestamp, String segmentId, ByteBuffer held) implements DocumentCursor {
        @Override
        public boolean advance() {
            throw new UnsupportedOperationException("stands on one document");
        }

        @Override
        public ByteBuffer source() {
            return held.duplicate();
        }

        @Override
        public void close() {}
    }

    /** Every truncation of a source, and a source with a byte after its value, fail and leave the buffer as it was. */
    @Property(tries = 100)
    void aSourceThatIsNotOneWholeValueLeavesTheBufferAsItWas(
            @ForAll("documents") ObjectNode doc, @ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        byte[] source = Bodies.MSGPACK.writeValueAsBytes(doc);
        JsonDocumentWriter writer = new JsonDocumentWriter(64).document(ID, 1, "s", source);
        byte[] before = writer.toByteArray();
        byte[] truncated = Arrays.copyOf(source, cut % source.length);
        byte[] trailing = Arrays.copyOf(source, source.length + 1);
        for (byte[] bad : List.of(truncated, trailing)) {
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> writer.document(ID, 2, "s", bad));
            assertArrayEquals(before, writer.toByteArray());
        }
    }

    @Provide
    Arbitrary<String> segments() {
        // segment ids are ASCII; other text (control characters, quotes, non-ASCII; not lone
        // surrogates, which no id holds) must still come out escaped exactly as Jackson escapes it
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars('-')
                        .ofMinLength(1)
                        .ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(12));
    }

    private static final String ID = "019a1f5e-8c00-7000-8000-000000000001";

    /** The reference for a whole document: Jackson's UTF-8 generator, DocumentEncoder's envelope. */
    static String renderDocument(long timestamp, String segment, byte[] source) throws IOException {
        return renderDocument(ID, timestamp, segment, source);
    }

    static String renderDocument(String id, long timestamp, String segment, byte[] source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.jsonFactory().createGenerator(out)) {
            DocumentEncoder.writeDocument(gen, id, timestamp, segment, source);
        }
        return out.toString(StandardCharsets.UTF_8);
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

    /**
     * DocumentRoundTripTest's random objects (keys of at most 8 characters, so never the timestamp
     * field; awkward characters, edge numbers, nesting), plus up to 20 top-level fields with longer
     * keys holding strings at and past the str 8 / str 16 boundaries: map 16 and str 16/32 headers too.
     */
    @Provide
    Arbitrary<ObjectNode> documents() {
        Arbitrary<List<String>> longStrings = Arbitraries.of(31, 32, 255, 256, 65_535, 70_000)
                .map("ü"::repeat)
                .list()
                .ofMaxSize(20);
        return Combinators.combine(DocumentRoundTripTest.objects(4), longStrings)
                .as((doc, strings) -> {
                    ObjectNode withLong = doc.deepCopy();
                    for (int i = 0; i < strings.size(); i++) {
                        withLong.put(
                                "long-string-" + i,
                                strings.get(i).substring(0, strings.get(i).length() - i));
                    }
                    return withLong;
                });
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
