package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.stupiddb.segments.testing.SingleQuotedJson.json;
import static io.stupiddb.segments.testing.SingleQuotedJson.text;
import static io.stupiddb.segments.testing.TestDocuments.msgpack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filters and documents built to hurt: deep, huge, malformed, or in unusual buffers. */
@Timeout(30)
class FilterHostileInputTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ---- hostile filters ---------------------------------------------------------------------

    @Test
    void tenThousandNestedNotsFailCleanly() {
        String filter = "{\"$not\":".repeat(10_000) + "{}" + "}".repeat(10_000);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(filter));
        assertEquals("/$not".repeat(32), e.location());
        assertEquals("filter is nested deeper than 32 levels", e.problem());
    }

    @Test
    void tenThousandNestedArraysFailCleanly() {
        String filter = "[".repeat(10_000) + "]".repeat(10_000);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(filter));
        assertEquals("/0".repeat(32), e.location());
    }

    @Test
    void tenThousandNestedOperatorsFailCleanly() {
        String filter = "{\"a\":" + "{\"$not\":".repeat(10_000) + "{\"$gt\":1}" + "}".repeat(10_001);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(filter));
        assertEquals("/a" + "/$not".repeat(31), e.location());
    }

    @Test
    void unclosedDeepNestingFailsCleanly() {
        FilterSyntaxException e =
                assertThrows(FilterSyntaxException.class, () -> Filter.parse("{\"$or\":[".repeat(50_000)));
        assertTrue(e.problem().contains("nested deeper than 32"), e.getMessage());
    }

    @Test
    void deepTreesAreRefusedWithoutDeepRecursion() {
        ObjectNode root = NODES.objectNode();
        ObjectNode at = root;
        for (int i = 0; i < 100_000; i++) {
            at = at.putObject("$not");
        }
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(root));
        assertEquals("/$not".repeat(32), e.location());

        ObjectNode operators = NODES.objectNode();
        ObjectNode field = operators.putObject("a");
        for (int i = 0; i < 100_000; i++) {
            field = field.putObject("$not");
        }
        assertThrows(FilterSyntaxException.class, () -> Filter.parse(operators));
    }

    @Test
    void thirtyTwoLevelsAreAllowed() {
        // root object (1) + 31 nested $not objects = 32 levels
        String filter = "{\"$not\":".repeat(31) + "{\"a\":1}" + "}".repeat(31);
        Filter parsed = Filter.parse(filter);
        assertFalse(parsed.matches(json("{'a':1}"))); // an odd number of negations
        assertTrue(parsed.matches(json("{'a':2}")));
        assertThrows(FilterSyntaxException.class, () -> Filter.parse("{\"$not\":" + filter + "}"));
    }

    @Test
    void largestAcceptedInListWorksAndOneMoreIsRefused() {
        // root + field object + array = 3 values, so 997 elements reach the 1,000 limit exactly
        Filter filter = Filter.parse(inList(997));
        for (int i = 0; i < 997; i++) {
            if (i % 2 == 0) {
                assertTrue(filter.matches(encoded("{'a':" + (i * 3) + "}")), "element " + i);
                assertTrue(filter.matches(encoded("{'a':" + (i * 3) + ".0}")), "element " + i);
                assertFalse(filter.matches(encoded("{'a':" + (i * 3 + 1) + "}")));
            } else {
                assertTrue(filter.matches(encoded("{'a':'s" + i + "'}")), "element " + i);
                assertFalse(filter.matches(encoded("{'a':'s" + i + "x'}")));
            }
        }
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(inList(998)));
        assertEquals("/a/$in/997", e.location());
        assertEquals("filter has more than 1000 values (objects, arrays, strings, numbers...)", e.problem());
    }

    @Test
    void hugeInListsAreRefusedEarly() {
        FilterSyntaxException text = assertThrows(FilterSyntaxException.class, () -> Filter.parse(inList(200_000)));
        assertEquals("/a/$in/997", text.location());

        ObjectNode tree = NODES.objectNode();
        ArrayNode values = tree.putObject("a").putArray("$in");
        for (int i = 0; i < 1_000_000; i++) {
            values.add(i);
        }
        FilterSyntaxException node = assertThrows(FilterSyntaxException.class, () -> Filter.parse(tree));
        assertEquals("/a/$in/997", node.location());
    }

    @Test
    void tooManyFieldsAreRefused() {
        StringBuilder filter = new StringBuilder("{");
        for (int i = 0; i < 5_000; i++) {
            filter.append(i == 0 ? "" : ",")
                    .append("\"f")
                    .append(i)
                    .append("\":")
                    .append(i);
        }
        FilterSyntaxException e = assertThrows(
                FilterSyntaxException.class,
                () -> Filter.parse(filter.append('}').toString()));
        assertEquals("/f999", e.location());
    }

    @Test
    void nonObjectFiltersAreRefused() {
        for (String filter : new String[] {"1", "-1.5", "\"x\"", "true", "null", "[]", "[1,2]"}) {
            FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(filter), filter);
            assertEquals("", e.location());
        }
        for (JsonNode node : new JsonNode[] {
            NODES.numberNode(1),
            NODES.textNode("x"),
            NODES.nullNode(),
            NODES.arrayNode(),
            NODES.missingNode(),
            NODES.binaryNode(new byte[1]),
            NODES.pojoNode(new Object())
        }) {
            assertThrows(FilterSyntaxException.class, () -> Filter.parse(node), node::toString);
        }
    }

    @Test
    void longStringsAreFine() {
        String big = "x".repeat(1 << 20);
        Filter filter = Filter.parse("{\"a\":{\"$prefix\":\"" + big + "\"}}");
        assertTrue(filter.matches(encoded("{'a':'" + big + "y'}")));
        assertFalse(filter.matches(encoded("{'a':'" + big.substring(1) + "'}")));
    }

    /** {@code {"a":{"$in":[0,"s1",6,"s3",...]}}}: numbers and strings, so both sorted lists are exercised. */
    private static String inList(int size) {
        StringBuilder s = new StringBuilder("{\"a\":{\"$in\":[");
        for (int i = 0; i < size; i++) {
            s.append(i == 0 ? "" : ",").append(i % 2 == 0 ? Integer.toString(i * 3) : "\"s" + i + "\"");
        }
        return s.append("]}}").toString();
    }

    // ---- hostile documents -------------------------------------------------------------------

    @Test
    void tenThousandDeepDocumentsAreSkippedIteratively() {
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            doc.write(0x81);
            doc.write(0xa1);
            doc.write('a');
        }
        doc.write(0x01);
        byte[] bytes = doc.toByteArray();

        assertTrue(Filter.parse("{\"a.a.a\":{\"$exists\":true}}").matches(bytes, 0, bytes.length));
        assertFalse(Filter.parse("{\"a.a.a\":1}").matches(bytes, 0, bytes.length));
        assertFalse(Filter.parse("{\"b\":1}").matches(bytes, 0, bytes.length));
        String path = "a.".repeat(31) + "a";
        assertTrue(Filter.parse("{\"" + path + "\":{\"$exists\":true}}").matches(bytes, 0, bytes.length));
    }

    @Test
    void everyTruncationIsAnIllegalArgument() {
        byte[] full = encoded("{'a':{'b':[1,2.5,'three',null,true,{'c':-7}]},'s':'" + "x".repeat(300)
                + "','n':18446744073709551615,'z':{}}");
        Filter filter = Filter.parse(text("{'a.c':1}"));
        for (int length = 0; length < full.length; length++) {
            int cut = length;
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> filter.matches(full, 0, cut), "cut at " + cut);
            assertTrue(
                    e.getMessage().startsWith("malformed MessagePack document")
                            || e.getMessage().startsWith("document is not"),
                    e.getMessage());
        }
        assertFalse(filter.matches(full, 0, full.length));
    }

    @Test
    void malformedDocumentsAreIllegalArguments() {
        Filter filter = Filter.parse(text("{'a':1}"));
        byte[][] bad = {
            {(byte) 0xc1}, // reserved type byte
            {(byte) 0x81, (byte) 0xc1, 0x01}, // reserved byte as a key
            {(byte) 0x81, (byte) 0xa1, 'b', (byte) 0xc1}, // reserved byte in a skipped value
            {(byte) 0x92, 0x01, 0x02}, // an array, not a map
            {0x01}, // a number
            {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xa1, 'a'}, // 4G entries claimed
            {(byte) 0x81, (byte) 0xa1, 'b', (byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff
            }, // 4G elements
            {(byte) 0x81, (byte) 0xa1, 'a', (byte) 0xdb, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff
            }, // 2G string
            {(byte) 0x81, (byte) 0xa1, 'b', (byte) 0xc9, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1
            }, // 4G ext
            {(byte) 0x81, (byte) 0xdb, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a', 1}, // 4G key
        };
        for (byte[] document : bad) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> filter.matches(document, 0, document.length),
                    () -> java.util.HexFormat.of().formatHex(document));
        }
    }

    @Test
    void nonStringKeysAreIgnoredAndBinaryValuesCompareWithNothing() {
        // {1: "x", "a": 1, "b": bin[2], "c": ext(type 5, 1 byte)}
        byte[] doc = {
            (byte) 0x84,
            0x01,
            (byte) 0xa1,
            'x',
            (byte) 0xa1,
            'a',
            0x01,
            (byte) 0xa1,
            'b',
            (byte) 0xc4,
            0x02,
            0x00,
            0x01,
            (byte) 0xa1,
            'c',
            (byte) 0xd4,
            0x05,
            0x00
        };
        assertTrue(Filter.parse(text("{'a':1}")).matches(doc, 0, doc.length));
        assertFalse(Filter.parse(text("{'1':'x'}")).matches(doc, 0, doc.length));
        assertTrue(Filter.parse(text("{'b':{'$exists':true}}")).matches(doc, 0, doc.length));
        assertFalse(Filter.parse(text("{'b':{'$in':[0,1,'',null]}}")).matches(doc, 0, doc.length));
        assertTrue(Filter.parse(text("{'c':{'$ne':null}}")).matches(doc, 0, doc.length));
        assertFalse(Filter.parse(text("{'c':{'$gte':0}}")).matches(doc, 0, doc.length));
    }

    @Test
    void duplicateKeysInADocumentAreAllConsidered() {
        byte[] doc = {(byte) 0x82, (byte) 0xa1, 'a', 0x01, (byte) 0xa1, 'a', 0x02};
        assertTrue(Filter.parse(text("{'a':1}")).matches(doc, 0, doc.length));
        assertTrue(Filter.parse(text("{'a':2}")).matches(doc, 0, doc.length));
        assertFalse(Filter.parse(text("{'a':{'$ne':2}}")).matches(doc, 0, doc.length));
    }

    // ---- buffers -----------------------------------------------------------------------------

    @Test
    void anyKindOfBufferWorksAndIsLeftUntouched() {
        byte[] doc = encoded("{'http':{'status':503,'path':'/api/v1'},'n':18446744073709551615,'f':2.5}");
        Filter filter = Filter.parse(text("{'http.status':{'$gte':500},'http.path':{'$prefix':'/api'},"
                + "'n':{'$gt':9223372036854775807},'f':{'$lt':3}}"));

        // the document sits in the middle of a larger buffer, as in a segment
        byte[] padded = new byte[doc.length + 20];
        System.arraycopy(doc, 0, padded, 7, doc.length);
        ByteBuffer heap = ByteBuffer.wrap(padded).position(7).limit(7 + doc.length);
        ByteBuffer direct =
                ByteBuffer.allocateDirect(padded.length).put(padded).position(7).limit(7 + doc.length);
        List<ByteBuffer> buffers = List.of(
                heap,
                direct,
                heap.asReadOnlyBuffer(),
                direct.asReadOnlyBuffer(),
                heap.duplicate().order(ByteOrder.LITTLE_ENDIAN),
                direct.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN),
                heap.slice());
        for (ByteBuffer buffer : buffers) {
            int position = buffer.position();
            int limit = buffer.limit();
            ByteOrder order = buffer.order();
            assertTrue(filter.matches(buffer), buffer::toString);
            assertEquals(position, buffer.position());
            assertEquals(limit, buffer.limit());
            assertEquals(order, buffer.order());
        }
        assertTrue(filter.matches(padded, 7, doc.length));
        assertThrows(IndexOutOfBoundsException.class, () -> filter.matches(padded, 7, padded.length));
    }

    @Test
    void oneFilterAndOneBufferServeManyThreads() throws Exception {
        Filter filter = Filter.parse(text("{'$or':[{'a':{'$in':[1,3,5]}},{'b.c':{'$prefix':'yes'}}]}"));
        List<byte[]> docs = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            docs.add(encoded("{'a':" + (i % 7) + ",'b':{'c':'" + (i % 3 == 0 ? "yes" : "no") + i + "'}}"));
            expected.add(i % 7 == 1 || i % 7 == 3 || i % 7 == 5 || i % 3 == 0);
        }
        ByteBuffer shared = ByteBuffer.allocateDirect(docs.getFirst().length)
                .put(docs.getFirst())
                .flip()
                .asReadOnlyBuffer();
        boolean sharedExpected = expected.getFirst();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 2_000; round++) {
                        int i = round % docs.size();
                        byte[] doc = docs.get(i);
                        assertEquals(expected.get(i), filter.matches(doc, 0, doc.length));
                        assertEquals(sharedExpected, filter.matches(shared));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        assertEquals(0, shared.position());
    }

    private static byte[] encoded(String singleQuotedJson) {
        return msgpack(json(singleQuotedJson));
    }
}
