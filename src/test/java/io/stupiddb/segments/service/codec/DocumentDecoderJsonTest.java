package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.store.DocumentToWrite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static io.stupiddb.segments.service.codec.Bodies.assertInvalid;
import static io.stupiddb.segments.service.codec.Bodies.invalidJson;
import static io.stupiddb.segments.service.codec.Bodies.json;
import static io.stupiddb.segments.service.codec.Bodies.jsonTree;
import static io.stupiddb.segments.service.codec.Bodies.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentDecoderJsonTest {

    @Test
    void oneObjectIsOneDocument() {
        List<DocumentToWrite> docs =
                json("{\"level\":\"error\",\"http\":{\"status\":500},\"tags\":[\"a\",1,2.5,true,null]}");
        assertEquals(1, docs.size());
        assertEquals(
                jsonTree("{\"level\":\"error\",\"http\":{\"status\":500},\"tags\":[\"a\",1,2.5,true,null]}"),
                tree(docs.getFirst()));
        assertEquals(OptionalLong.empty(), docs.getFirst().timestamp());
    }

    @Test
    void anArrayOfObjectsIsABatchInOrder() {
        List<DocumentToWrite> docs = json(" [ {\"n\":0}, {\"n\":1} ,{\"n\":2}] \n");
        assertEquals(3, docs.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, tree(docs.get(i)).get("n").asInt());
        }
    }

    @Test
    void theEncodingIsMinimalMessagePack() {
        // {"a":1,"b":[]} : fixmap(2) fixstr "a" fixint 1 fixstr "b" fixarray(0)
        assertArrayEquals(
                Bodies.bytes(0x82, 0xa1, 'a', 0x01, 0xa1, 'b', 0x90),
                json("{\"a\":1,\"b\":[]}").getFirst().source());
        assertArrayEquals(Bodies.bytes(0x80), json("{}").getFirst().source());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void anEmptyBodyIsMalformed(String body) {
        assertInvalid(invalidJson(body), Kind.MALFORMED, -1, "request body: request body is empty");
    }

    @Test
    void anEmptyArrayIsAnEmptyBatch() {
        assertInvalid(invalidJson("[]"), Kind.MALFORMED, -1, "request body: empty batch");
    }

    @Test
    void malformedJsonNamesTheElement() {
        var e = invalidJson("[{\"a\":1},\n {\"b\":}]");
        assertInvalid(e, Kind.MALFORMED, 1, "element 1: ", "line 2, column 7");
        assertEquals(-1, e.line());
        assertTrue(!e.getMessage().contains("REDACTED") && !e.getMessage().contains("Source"), e.getMessage());
    }

    @Test
    void aMissingCommaIsBlamedOnTheNextElement() {
        assertInvalid(invalidJson("[{\"a\":1} {\"b\":2}]"), Kind.MALFORMED, 1, "element 1: ");
    }

    @Test
    void aTruncatedObjectIsUnexpectedEndOfInput() {
        assertInvalid(invalidJson("{\"a\":[1,2"), Kind.MALFORMED, 0, "element 0: unexpected end of input");
        assertInvalid(invalidJson("[{\"a\":1},{\"b\""), Kind.MALFORMED, 1, "element 1: unexpected end of input");
        assertInvalid(invalidJson("[{\"a\":1}"), Kind.MALFORMED, 1, "unexpected end of input");
    }

    @Test
    void nonObjectElementsAreNamed() {
        assertInvalid(
                invalidJson("[{},{},{},\"x\"]"), Kind.NOT_AN_OBJECT, 3, "element 3: not a JSON object (got a string)");
        assertInvalid(invalidJson("[{},[]]"), Kind.NOT_AN_OBJECT, 1, "element 1: not a JSON object (got an array)");
        assertInvalid(invalidJson("[null]"), Kind.NOT_AN_OBJECT, 0, "(got null)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"doc\"", "true", "null", "-1.5"})
    void aScalarBodyIsNotAnObject(String body) {
        assertInvalid(invalidJson(body), Kind.NOT_AN_OBJECT, 0, "element 0: not a JSON object or an array of objects");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} x", "{\"a\":1}{\"b\":2}", "[{}] []", "{} ]", "[{}],"})
    void trailingDataIsMalformed(String body) {
        assertInvalid(invalidJson(body), Kind.MALFORMED, -1, "request body: ");
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = Bodies.concat(
                "{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                Bodies.bytes(0xff, 0xfe),
                "\"}".getBytes(StandardCharsets.UTF_8));
        assertInvalid(
                Bodies.invalid(Bodies.DEFAULTS, body, BodyFormat.JSON),
                Kind.MALFORMED,
                -1,
                "request body: invalid UTF-8 at byte 6");
        byte[] overlong = Bodies.concat(
                "{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                Bodies.bytes(0xc0, 0xaf),
                "\"}".getBytes(StandardCharsets.UTF_8));
        assertInvalid(
                Bodies.invalid(Bodies.DEFAULTS, overlong, BodyFormat.JSON),
                Kind.MALFORMED,
                -1,
                "invalid UTF-8 at byte 6"); // Jackson alone would decode C0 AF as '/'
        byte[] truncated = Bodies.concat("{\"a\":1}".getBytes(StandardCharsets.UTF_8), Bodies.bytes(0xe2, 0x82));
        assertInvalid(Bodies.invalid(Bodies.DEFAULTS, truncated, BodyFormat.JSON), Kind.MALFORMED, -1, "UTF-8");
    }

    @Test
    void unpairedSurrogateEscapesAreMalformedButPairsAreFine() {
        assertInvalid(invalidJson("{\"a\":\"x\\ud800y\"}"), Kind.MALFORMED, 0, "unpaired surrogate \\uD800");
        assertInvalid(invalidJson("{\"\\udc00\":1}"), Kind.MALFORMED, 0, "surrogate"); // Jackson's own check
        assertEquals(
                "😀",
                tree(json("{\"a\":\"\\ud83d\\ude00\"}").getFirst()).get("a").asText());
    }

    @Test
    void unicodeIsKeptAsUtf8() {
        String text = "héllo wörld ✓ 日本語 😀 \u0000 \u007f";
        var doc =
                json("{\"ключ\":\"" + text.replace("\u0000", "\\u0000") + "\"}").getFirst();
        assertEquals(text, tree(doc).get("ключ").asText());
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertInvalid(invalidJson("{\"a\":1,\"b\":2,\"a\":3}"), Kind.MALFORMED, 0, "duplicate key 'a'");
        assertInvalid(invalidJson("[{},{\"x\":{\"k\":1,\"k\":2}}]"), Kind.MALFORMED, 1, "duplicate key 'k'");
        // The same key in different objects (siblings, nested, next element) is fine.
        assertEquals(
                2,
                json("[{\"k\":{\"k\":1},\"j\":{\"k\":2}},{\"k\":[{\"k\":1},{\"k\":2}]}]")
                        .size());
    }

    @Test
    void sixtyFourLevelsAreFineSixtyFiveAreNot() {
        assertEquals(1, json(nested(64)).size());
        assertEquals(1, json("[" + nested(64) + "]").size());
        assertInvalid(invalidJson(nested(65)), Kind.MALFORMED, 0, "nested deeper than 64 levels");
        assertInvalid(invalidJson("[{}," + nested(65) + "]"), Kind.MALFORMED, 1, "nested deeper than 64 levels");
    }

    @Test
    void tenThousandLevelsAreRejectedWithoutStackOverflow() {
        assertInvalid(invalidJson(nested(10_000)), Kind.MALFORMED, 0, "nested deeper than 64 levels");
        assertInvalid(
                invalidJson("{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                Kind.MALFORMED,
                0,
                "nested deeper than 64 levels");
        assertInvalid(invalidJson("[".repeat(10_000)), Kind.NOT_AN_OBJECT, 0);
    }

    /** {"a":{"a":…{}…}} with {@code levels} objects. */
    static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    @Test
    void integersKeepTheirValueUpToUint64() {
        var doc = tree(json("{\"max\":9223372036854775807,\"min\":-9223372036854775808,"
                        + "\"u\":18446744073709551615,\"zero\":0,\"neg\":-33}")
                .getFirst());
        assertEquals(Long.MAX_VALUE, doc.get("max").asLong());
        assertEquals(Long.MIN_VALUE, doc.get("min").asLong());
        assertEquals(new BigInteger("18446744073709551615"), doc.get("u").bigIntegerValue());
        assertEquals(0, doc.get("zero").asInt());
        assertEquals(-33, doc.get("neg").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551616", "-9223372036854775809", "100000000000000000000000000000"})
    void integersBeyondUint64AndInt64AreRefused(String number) {
        assertInvalid(
                invalidJson("{\"n\":" + number + "}"),
                Kind.UNSUPPORTED_VALUE,
                0,
                "integer " + number + " is out of range (-2^63 to 2^64-1)");
    }

    @Test
    void floatsAreDoublesAndMustBeFinite() {
        var doc = tree(json("{\"a\":1.5,\"b\":-0.0,\"c\":1e300,\"d\":4.9e-324,\"e\":1.0,\"f\":1e-400}")
                .getFirst());
        assertEquals(1.5, doc.get("a").doubleValue());
        assertEquals(
                Double.doubleToLongBits(-0.0),
                Double.doubleToLongBits(doc.get("b").doubleValue()));
        assertEquals(1e300, doc.get("c").doubleValue());
        assertEquals(Double.MIN_VALUE, doc.get("d").doubleValue());
        assertTrue(doc.get("e").isDouble(), "1.0 stays a float");
        assertEquals(0.0, doc.get("f").doubleValue(), "underflow becomes 0");
        assertInvalid(invalidJson("{\"a\":1e400}"), Kind.UNSUPPORTED_VALUE, 0, "out of range of a 64-bit float");
        assertInvalid(invalidJson("{\"a\":-1e400}"), Kind.UNSUPPORTED_VALUE, 0, "out of range of a 64-bit float");
    }

    @Test
    void nonJsonNumbersAreMalformed() {
        assertInvalid(invalidJson("{\"a\":NaN}"), Kind.MALFORMED, 0);
        assertInvalid(invalidJson("{\"a\":Infinity}"), Kind.MALFORMED, 0);
        assertInvalid(invalidJson("{\"a\":01}"), Kind.MALFORMED, 0);
        assertInvalid(invalidJson("{\"a\":1.}"), Kind.MALFORMED, 0);
    }

    @Test
    void aThousandDigitNumberIsRefusedNotParsedForever() {
        assertInvalid(invalidJson("{\"a\":" + "9".repeat(5_000) + "}"), Kind.UNSUPPORTED_VALUE, 0, "too many digits");
    }

    @Test
    void commentsAndSingleQuotesAreNotJson() {
        assertInvalid(invalidJson("{\"a\":1 /* no */}"), Kind.MALFORMED, 0);
        assertInvalid(invalidJson("{'a':1}"), Kind.MALFORMED, 0);
    }
}
