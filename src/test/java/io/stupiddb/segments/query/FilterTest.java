package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static io.stupiddb.segments.testing.SingleQuotedJson.json;
import static io.stupiddb.segments.testing.SingleQuotedJson.text;
import static io.stupiddb.segments.testing.TestDocuments.msgpack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The semantics table of docs/QUERY.md: every row is checked on the MessagePack path, the
 * JsonNode path and the reference model, so the three cannot drift apart. JSON is written with
 * {@code '} for {@code "}.
 */
class FilterTest {

    private static Arguments row(String filter, String document, boolean expected) {
        return Arguments.of(filter, document, expected);
    }

    static Stream<Arguments> semantics() {
        return Stream.of(
                // implicit equality, strings
                row("{'level':'error'}", "{'level':'error'}", true),
                row("{'level':'error'}", "{'level':'warn'}", false),
                row("{'level':'error'}", "{}", false),
                row("{'level':'error'}", "{'level':null}", false),
                row("{'level':'error'}", "{'level':'Error'}", false),
                row("{'level':'error'}", "{'level':'error '}", false),
                row("{'level':'error'}", "{'level':{'error':1}}", false),
                row("{'level':'1'}", "{'level':1}", false),
                row("{'level':''}", "{'level':''}", true),
                row("{'name':'été 😀'}", "{'name':'été 😀'}", true),
                // numbers: integers and floats compare numerically, never with other kinds
                row("{'a':1}", "{'a':1}", true),
                row("{'a':1}", "{'a':1.0}", true),
                row("{'a':1.0}", "{'a':1}", true),
                row("{'a':1}", "{'a':1.5}", false),
                row("{'a':0}", "{'a':-0.0}", true),
                row("{'a':-3}", "{'a':-3}", true),
                row("{'a':1}", "{'a':'1'}", false),
                row("{'a':1}", "{'a':true}", false),
                row("{'a':0}", "{'a':false}", false),
                row("{'a':0}", "{'a':null}", false),
                // 64-bit edges: exact, no rounding through double
                row("{'a':9223372036854775807}", "{'a':9223372036854775807}", true),
                row("{'a':-9223372036854775808}", "{'a':-9223372036854775808}", true),
                row("{'a':9223372036854775808}", "{'a':9223372036854775808}", true),
                row("{'a':18446744073709551615}", "{'a':18446744073709551615}", true),
                row("{'a':9223372036854775808}", "{'a':9223372036854775807}", false),
                row("{'a':9007199254740993}", "{'a':9007199254740992.0}", false),
                row("{'a':9007199254740992}", "{'a':9007199254740992.0}", true),
                row("{'a':9223372036854775807}", "{'a':9.223372036854775807E18}", false),
                row("{'a':9223372036854775808}", "{'a':9.223372036854775807E18}", true),
                row("{'a':{'$gt':9223372036854775807}}", "{'a':9223372036854775808}", true),
                row("{'a':{'$lt':9223372036854775808}}", "{'a':9223372036854775807}", true),
                row("{'a':{'$lt':1e19}}", "{'a':18446744073709551615}", false),
                row("{'a':{'$gt':1e19}}", "{'a':18446744073709551615}", true),
                row("{'a':{'$lt':1.8446744073709552E19}}", "{'a':18446744073709551615}", true),
                row("{'a':{'$gt':-9.3e18}}", "{'a':-9223372036854775808}", true),
                row("{'a':{'$lt':-9.2e18}}", "{'a':-9223372036854775808}", true),
                // booleans
                row("{'ok':true}", "{'ok':true}", true),
                row("{'ok':true}", "{'ok':false}", false),
                row("{'ok':false}", "{'ok':false}", true),
                row("{'ok':true}", "{'ok':1}", false),
                row("{'ok':true}", "{'ok':'true'}", false),
                // null: explicit null or missing
                row("{'a':null}", "{'a':null}", true),
                row("{'a':null}", "{}", true),
                row("{'a':null}", "{'b':1}", true),
                row("{'a':null}", "{'a':0}", false),
                row("{'a':null}", "{'a':false}", false),
                row("{'a':null}", "{'a':''}", false),
                row("{'a':null}", "{'a':{}}", false),
                row("{'a':null}", "{'a':[]}", false),
                row("{'a':null}", "{'a':[1,null]}", true),
                row("{'a':{'$eq':null}}", "{}", true),
                row("{'a':{'$eq':null}}", "{'a':1}", false),
                row("{'a':{'$ne':null}}", "{'a':1}", true),
                row("{'a':{'$ne':null}}", "{'a':null}", false),
                row("{'a':{'$ne':null}}", "{}", false),
                row("{'a.b':null}", "{'a':5}", true),
                // $eq
                row("{'a':{'$eq':'x'}}", "{'a':'x'}", true),
                row("{'a':{'$eq':'x'}}", "{'a':'y'}", false),
                row("{'a':{'$eq':2}}", "{'a':2.0}", true),
                // $ne: the exact complement of $eq (matches missing and other kinds)
                row("{'a':{'$ne':1}}", "{'a':1}", false),
                row("{'a':{'$ne':1}}", "{'a':1.0}", false),
                row("{'a':{'$ne':1}}", "{'a':2}", true),
                row("{'a':{'$ne':1}}", "{}", true),
                row("{'a':{'$ne':1}}", "{'a':'1'}", true),
                row("{'a':{'$ne':1}}", "{'a':null}", true),
                row("{'a':{'$ne':1}}", "{'a':[1,2]}", false),
                row("{'a':{'$ne':1}}", "{'a':[2,3]}", true),
                row("{'a':{'$ne':1}}", "{'a':[]}", true),
                row("{'a':{'$ne':'x'}}", "{'a':{'b':'x'}}", true),
                // ranges on numbers
                row("{'a':{'$gt':5}}", "{'a':6}", true),
                row("{'a':{'$gt':5}}", "{'a':5}", false),
                row("{'a':{'$gt':5}}", "{'a':5.0}", false),
                row("{'a':{'$gt':5}}", "{'a':5.000001}", true),
                row("{'a':{'$gt':5}}", "{'a':'6'}", false),
                row("{'a':{'$gt':5}}", "{'a':true}", false),
                row("{'a':{'$gt':5}}", "{'a':null}", false),
                row("{'a':{'$gt':5}}", "{}", false),
                row("{'a':{'$gt':5}}", "{'a':{'b':6}}", false),
                row("{'a':{'$gte':5}}", "{'a':5.0}", true),
                row("{'a':{'$gte':5}}", "{'a':4.999}", false),
                row("{'a':{'$lt':5}}", "{'a':4}", true),
                row("{'a':{'$lt':5}}", "{'a':5}", false),
                row("{'a':{'$lt':5}}", "{'a':-1e300}", true),
                row("{'a':{'$lt':5.5}}", "{'a':5}", true),
                row("{'a':{'$lte':5}}", "{'a':5}", true),
                row("{'a':{'$lte':5}}", "{'a':6}", false),
                row("{'a':{'$lte':-0.0}}", "{'a':0}", true),
                row("{'status':{'$gte':500,'$lt':600}}", "{'status':503}", true),
                row("{'status':{'$gte':500,'$lt':600}}", "{'status':600}", false),
                row("{'status':{'$gte':500,'$lt':600}}", "{'status':499.5}", false),
                // ranges on strings: code point order (= UTF-8 byte order), not UTF-16 order
                row("{'a':{'$gt':'b'}}", "{'a':'c'}", true),
                row("{'a':{'$gt':'b'}}", "{'a':'b'}", false),
                row("{'a':{'$gt':'b'}}", "{'a':'ba'}", true),
                row("{'a':{'$gt':'b'}}", "{'a':'B'}", false),
                row("{'a':{'$gt':'b'}}", "{'a':'é'}", true),
                row("{'a':{'$gt':'b'}}", "{'a':1}", false),
                row("{'a':{'$lt':'b'}}", "{'a':''}", true),
                row("{'a':{'$gte':'2026-11-25'}}", "{'a':'2026-11-25T10:00:00Z'}", true),
                row("{'a':{'$gt':'～'}}", "{'a':'😀'}", true),
                row("{'a':{'$lt':'～'}}", "{'a':'😀'}", false),
                // $in / $nin
                row("{'a':{'$in':[1,'x',true]}}", "{'a':1.0}", true),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':'x'}", true),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':true}", true),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':false}", false),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':2}", false),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':'1'}", false),
                row("{'a':{'$in':[1,'x',true]}}", "{}", false),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':null}", false),
                row("{'a':{'$in':[1,'x',true]}}", "{'a':['y','x']}", true),
                row("{'a':{'$in':[2.5,18446744073709551615,-7]}}", "{'a':18446744073709551615}", true),
                row("{'a':{'$in':[2.5,18446744073709551615,-7]}}", "{'a':2.5}", true),
                row("{'a':{'$in':[2.5,18446744073709551615,-7]}}", "{'a':-7.0}", true),
                row("{'a':{'$in':[2.5,18446744073709551615,-7]}}", "{'a':3}", false),
                row("{'a':{'$in':[]}}", "{'a':1}", false),
                row("{'a':{'$in':[]}}", "{}", false),
                row("{'a':{'$in':[null]}}", "{}", true),
                row("{'a':{'$in':[null]}}", "{'a':null}", true),
                row("{'a':{'$in':[null,2]}}", "{'a':2}", true),
                row("{'a':{'$in':[null]}}", "{'a':1}", false),
                row("{'a':{'$nin':[1,2]}}", "{'a':3}", true),
                row("{'a':{'$nin':[1,2]}}", "{'a':1}", false),
                row("{'a':{'$nin':[1,2]}}", "{'a':2.0}", false),
                row("{'a':{'$nin':[1,2]}}", "{}", true),
                row("{'a':{'$nin':[1,2]}}", "{'a':'1'}", true),
                row("{'a':{'$nin':[1,2]}}", "{'a':[3,1]}", false),
                row("{'a':{'$nin':[1,2]}}", "{'a':[3,4]}", true),
                row("{'a':{'$nin':[]}}", "{}", true),
                row("{'a':{'$nin':[]}}", "{'a':1}", true),
                row("{'a':{'$nin':[null]}}", "{}", false),
                row("{'a':{'$nin':[null]}}", "{'a':0}", true),
                // $exists
                row("{'a':{'$exists':true}}", "{'a':1}", true),
                row("{'a':{'$exists':true}}", "{'a':null}", true),
                row("{'a':{'$exists':true}}", "{'a':{}}", true),
                row("{'a':{'$exists':true}}", "{'a':[]}", true),
                row("{'a':{'$exists':true}}", "{}", false),
                row("{'a':{'$exists':false}}", "{}", true),
                row("{'a':{'$exists':false}}", "{'a':null}", false),
                row("{'a.b':{'$exists':true}}", "{'a':{'b':null}}", true),
                row("{'a.b':{'$exists':true}}", "{'a':{'c':1}}", false),
                row("{'a.b':{'$exists':false}}", "{'a':7}", true),
                // $prefix: strings only
                row("{'p':{'$prefix':'/api'}}", "{'p':'/api/v1'}", true),
                row("{'p':{'$prefix':'/api'}}", "{'p':'/api'}", true),
                row("{'p':{'$prefix':'/api'}}", "{'p':'/ap'}", false),
                row("{'p':{'$prefix':'/api'}}", "{'p':'/API/v1'}", false),
                row("{'p':{'$prefix':'/api'}}", "{}", false),
                row("{'p':{'$prefix':'/api'}}", "{'p':['x','/api/x']}", true),
                row("{'p':{'$prefix':'1'}}", "{'p':12}", false),
                row("{'p':{'$prefix':''}}", "{'p':''}", true),
                row("{'p':{'$prefix':''}}", "{'p':1}", false),
                row("{'p':{'$prefix':'é'}}", "{'p':'été'}", true),
                row("{'p':{'$prefix':'e'}}", "{'p':'été'}", false),
                // $not on a field: complement of its operators
                row("{'a':{'$not':{'$gt':5}}}", "{'a':6}", false),
                row("{'a':{'$not':{'$gt':5}}}", "{'a':5}", true),
                row("{'a':{'$not':{'$gt':5}}}", "{'a':'x'}", true),
                row("{'a':{'$not':{'$gt':5}}}", "{}", true),
                row("{'a':{'$not':{'$gt':1,'$lt':3}}}", "{'a':2}", false),
                row("{'a':{'$not':{'$gt':1,'$lt':3}}}", "{'a':5}", true),
                row("{'a':{'$not':{'$not':{'$eq':1}}}}", "{'a':1}", true),
                row("{'a':{'$not':{'$prefix':'x'}, '$exists':true}}", "{'a':'yx'}", true),
                row("{'a':{'$not':{'$prefix':'x'}, '$exists':true}}", "{}", false),
                // $not at the top level
                row("{'$not':{'a':1}}", "{'a':1}", false),
                row("{'$not':{'a':1}}", "{'a':2}", true),
                row("{'$not':{'a':1,'b':1}}", "{'a':1,'b':2}", true),
                row("{'$not':{}}", "{'a':1}", false),
                // $and, $or, implicit AND
                row("{'a':1,'b':2}", "{'a':1,'b':2}", true),
                row("{'a':1,'b':2}", "{'a':1,'b':3}", false),
                row("{'a':1,'b':2}", "{'a':1}", false),
                row("{'$and':[{'a':1},{'b':2}]}", "{'a':1,'b':2}", true),
                row("{'$and':[{'a':1},{'b':2}]}", "{'a':1}", false),
                row("{'$and':[{'a':{'$gt':1}},{'a':{'$lt':3}}]}", "{'a':2}", true),
                row("{'$or':[{'a':1},{'b':2}]}", "{'b':2}", true),
                row("{'$or':[{'a':1},{'b':2}]}", "{'a':2,'b':3}", false),
                row("{'$or':[{'a':1}]}", "{'a':1}", true),
                row("{'$or':[{'$and':[{'a':1},{'b':1}]},{'c':1}]}", "{'a':1,'b':1}", true),
                row("{'$or':[{'$and':[{'a':1},{'b':1}]},{'c':1}]}", "{'a':1,'c':2}", false),
                row("{'$or':[{'$and':[{'a':1},{'b':1}]},{'c':1}]}", "{'c':1}", true),
                row("{'$or':[{}, {'a':1}]}", "{'a':2}", true),
                row("{'$and':[{}]}", "{}", true),
                row("{'a':1,'$or':[{'b':1},{'c':1}]}", "{'a':1,'c':1}", true),
                row("{'a':1,'$or':[{'b':1},{'c':1}]}", "{'a':2,'c':1}", false),
                row("{}", "{}", true),
                row("{}", "{'a':1}", true),
                // dotted paths reach nested objects
                row("{'http.status':500}", "{'http':{'status':500}}", true),
                row("{'http.status':500}", "{'http':{'status':'500'}}", false),
                row("{'http.status':500}", "{'http':500}", false),
                row("{'http.status':500}", "{'http':{}}", false),
                row("{'http.status':500}", "{}", false),
                row("{'http.status':500}", "{'http.status':500}", false),
                row("{'a.b.c':1}", "{'a':{'b':{'c':1}}}", true),
                row("{'a.b.c':1}", "{'a':{'b':{'c':{'d':1}}}}", false),
                row("{'a':{'$exists':true},'a.b':1}", "{'a':{'b':1}}", true),
                row("{'a':2,'a.b':{'$exists':false}}", "{'a':2}", true),
                row("{'http.status':{'$gte':500},'http.method':'GET'}", "{'http':{'method':'GET','status':502}}", true),
                row(
                        "{'http.status':{'$gte':500},'http.method':'GET'}",
                        "{'http':{'method':'PUT','status':502}}",
                        false),
                // arrays: any scalar element; objects inside arrays are looked into
                row("{'tags':'x'}", "{'tags':['x','y']}", true),
                row("{'tags':'z'}", "{'tags':['x','y']}", false),
                row("{'tags':'x'}", "{'tags':[]}", false),
                row("{'a':1}", "{'a':[[1]]}", false),
                row("{'a':{'$gt':1,'$lt':3}}", "{'a':[0,5]}", true),
                row("{'a':{'$gt':1,'$lt':3}}", "{'a':[0,1]}", false),
                row("{'items.sku':'x'}", "{'items':[{'sku':'y'},{'sku':'x'}]}", true),
                row("{'items.sku':'x'}", "{'items':[{'sku':'y'}]}", false),
                row("{'items.sku':'x'}", "{'items':[{'sku':['x']}]}", true),
                row("{'items.sku':{'$exists':true}}", "{'items':[{'a':1}]}", false),
                row("{'items.sku':{'$exists':true}}", "{'items':[{'a':1},{'sku':null}]}", true),
                row("{'items.sku':{'$exists':true}}", "{'items':[1,2]}", false),
                row("{'a.b':1}", "{'a':[[{'b':1}]]}", false),
                row("{'a.b.c':1}", "{'a':[{'b':[{'c':1}]}]}", true),
                row("{'a':{'$exists':true}}", "{'a':[[]]}", true));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("semantics")
    void semanticsTable(String filterJson, String documentJson, boolean expected) {
        JsonNode document = json(documentJson);
        Filter filter = Filter.parse(text(filterJson));
        byte[] encoded = msgpack(document);

        assertEquals(expected, filter.matches(ByteBuffer.wrap(encoded)), "MessagePack path");
        assertEquals(expected, filter.matches(encoded, 0, encoded.length), "byte[] path");
        assertEquals(expected, filter.matches(document), "JsonNode path");
        assertEquals(expected, ReferenceFilter.matches(json(filterJson), document), "reference model");
    }

    @Test
    void matchAllIsSharedAndRecognised() {
        assertTrue(Filter.matchAll().isMatchAll());
        assertSame(Filter.matchAll(), Filter.parse("{}"));
        assertTrue(Filter.parse(text("{'$and':[{}, {'$or':[{}, {'a':1}]}]}")).isMatchAll());
        assertFalse(Filter.parse(text("{'a':{'$exists':true}}")).isMatchAll());
        assertFalse(Filter.parse(text("{'$not':{}}")).isMatchAll());
    }

    @Test
    void constantFiltersDoNotReadTheDocument() {
        byte[] notMsgpack = {(byte) 0xc1, 0x00};
        assertTrue(Filter.matchAll().matches(ByteBuffer.wrap(notMsgpack)));
        assertFalse(Filter.parse(text("{'a':{'$in':[]}}")).matches(ByteBuffer.wrap(notMsgpack)));
    }

    @Test
    void toStringShowsTheCompiledForm() {
        assertEquals(
                "and(eq(level, \"error\"), gte(status, 500))",
                Filter.parse(text("{'level':'error','status':{'$gte':500}}")).toString());
        assertEquals("not(eq(a, 1))", Filter.parse(text("{'a':{'$ne':1}}")).toString());
        assertEquals(
                "or(eq(a, null), not(exists(a)))",
                Filter.parse(text("{'a':null}")).toString());
        assertEquals("false", Filter.parse(text("{'a':{'$in':[]}}")).toString());
        assertEquals("true", Filter.parse(text("{'a':{'$nin':[]}}")).toString());
        assertEquals(
                "in(a, [1, \"x\", true])",
                Filter.parse(text("{'a':{'$in':[1,'x',true]}}")).toString());
        assertEquals(
                "exists(a)",
                Filter.parse(text("{'a':{'$not':{'$not':{'$exists':true}}}}")).toString());
    }

    /** JSON has no infinity, but 1e400 reads as one, and MessagePack documents may hold them. */
    @Test
    void infinitiesAndNaNCompareSanely() {
        Filter aboveAll = Filter.parse(text("{'a':{'$gt':1e400}}"));
        Filter belowInfinity = Filter.parse(text("{'a':{'$lt':1e400}}"));
        JsonNode largest = json("{'a':1.7976931348623157E308}");
        assertFalse(aboveAll.matches(largest));
        assertTrue(belowInfinity.matches(largest));
        assertTrue(belowInfinity.matches(json("{'a':18446744073709551615}")));

        byte[] infinity = {(byte) 0x81, (byte) 0xa1, 'a', (byte) 0xcb, 0x7f, (byte) 0xf0, 0, 0, 0, 0, 0, 0};
        assertTrue(Filter.parse(text("{'a':{'$gt':9223372036854775807}}")).matches(infinity, 0, infinity.length));
        assertTrue(Filter.parse(text("{'a':1e400}")).matches(infinity, 0, infinity.length));

        byte[] nan = {(byte) 0x81, (byte) 0xa1, 'a', (byte) 0xcb, 0x7f, (byte) 0xf8, 0, 0, 0, 0, 0, 0};
        for (String filter : new String[] {"{'a':1}", "{'a':{'$gt':0}}", "{'a':{'$lte':0}}", "{'a':{'$in':[1,2.5]}}"}) {
            assertFalse(Filter.parse(text(filter)).matches(nan, 0, nan.length), filter);
        }
        assertTrue(Filter.parse(text("{'a':{'$ne':1}}")).matches(nan, 0, nan.length));
        assertTrue(Filter.parse(text("{'a':{'$exists':true}}")).matches(nan, 0, nan.length));
    }

    @Test
    void documentMustBeAnObject() {
        Filter filter = Filter.parse(text("{'a':1}"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> filter.matches(json("[1]")));
        assertEquals("document is not a JSON object", e.getMessage());
    }
}
