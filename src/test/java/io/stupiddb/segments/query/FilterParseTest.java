package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.testing.TestDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.stupiddb.segments.testing.SingleQuotedJson.json;
import static io.stupiddb.segments.testing.SingleQuotedJson.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every syntax error says where (JSON Pointer) and what; the table is the error catalogue of docs/QUERY.md. */
class FilterParseTest {

    private static Arguments row(String filter, String location, String problemStart) {
        return Arguments.of(filter, location, problemStart);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                // not an object / not JSON
                row("", "", "filter is empty; use {} to match every document"),
                row("   ", "", "filter is empty"),
                row("'error'", "", "a filter must be a JSON object such as {\"level\":\"error\"}, got a string"),
                row("42", "", "a filter must be a JSON object such as {\"level\":\"error\"}, got a number"),
                row("[]", "", "a filter must be a JSON object such as {\"level\":\"error\"}, got an empty array"),
                row("[{'a':1}]", "", "a filter must be a JSON object such as {\"level\":\"error\"}, got an array"),
                row("null", "", "a filter must be a JSON object such as {\"level\":\"error\"}, got null"),
                row("true", "", "a filter must be a JSON object such as {\"level\":\"error\"}, got a boolean"),
                row(
                        "{'level':'error'",
                        "/level",
                        "malformed JSON at line 1, column 17: Unexpected end-of-input:"
                                + " expected close marker for Object (opened at line 1, column 1)"),
                row("{'a': {'$gt': }}", "/a/$gt", "malformed JSON at line 1, column 15: Unexpected character ('}'"),
                row("{'a':1,}", "/a", "malformed JSON at line 1, column 8: Unexpected character ('}'"),
                row(
                        "{\n  'a': 1,\n  'b': tru\n}",
                        "/b",
                        "malformed JSON at line 3, column 8: Unrecognized token 'tru'"),
                row("{'a':[1,2,}", "/a/2", "malformed JSON at line 1, column 11: Unexpected character ('}'"),
                row("{'a':NaN}", "/a", "malformed JSON at line 1, column 9: Non-standard token 'NaN'"),
                row("{'a':1} x", "", "malformed JSON at line 1, column 9: Unrecognized token 'x'"),
                row(
                        "{'a':1}{'b':2}",
                        "",
                        "malformed JSON at line 1, column 8: unexpected content after the end of the filter"),
                row("{'a':1,'a':2}", "/a", "duplicate key \"a\""),
                row("{'$or':[{'b':1,'b':{'$gt':2}}]}", "/$or/0/b", "duplicate key \"b\""),
                // unknown and misplaced operators
                row(
                        "{'level':{'$regex':'^err'}}",
                        "/level/$regex",
                        "unknown operator \"$regex\"; a field accepts $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $prefix, $not"),
                row(
                        "{'$or':[{'a':1},{'status':{'$regex':'x'}}]}",
                        "/$or/1/status/$regex",
                        "unknown operator \"$regex\""),
                row(
                        "{'$nor':[{'a':1}]}",
                        "/$nor",
                        "unknown operator \"$nor\"; at the top level a filter accepts field names and $and, $or, $not"),
                row("{'$where':'1'}", "/$where", "unknown operator \"$where\""),
                row("{'$gt':5}", "/$gt", "$gt must be applied to a field, as in {\"status\": {\"$gt\": ...}}"),
                row("{'a':{'$and':[{'b':1}]}}", "/a/$and", "$and combines whole filters and belongs at the top level"),
                row("{'a':{'$or':[]}}", "/a/$or", "$or combines whole filters and belongs at the top level"),
                // $and / $or / $not arguments
                row("{'$and':{'a':1}}", "/$and", "$and needs a non-empty array of filter objects, got an object"),
                row("{'$and':[]}", "/$and", "$and needs a non-empty array of filter objects, got an empty array"),
                row("{'$or':'a'}", "/$or", "$or needs a non-empty array of filter objects, got a string"),
                row(
                        "{'$or':[{'a':1},'x']}",
                        "/$or/1",
                        "each element of $or must be a filter object such as {\"level\":\"error\"}, got a string"),
                row("{'$and':[{'a':1},[{'b':2}]]}", "/$and/1", "each element of $and must be a filter object"),
                row(
                        "{'$not':5}",
                        "/$not",
                        "$not at the top level needs a filter object such as {\"level\":\"error\"}, got a number"),
                row("{'$not':[{'a':1}]}", "/$not", "$not at the top level needs a filter object"),
                row(
                        "{'a':{'$not':5}}",
                        "/a/$not",
                        "$not needs an object of operators such as {\"$gt\": 5}, got a number"),
                row(
                        "{'a':{'$not':{}}}",
                        "/a/$not",
                        "an operator object needs at least one operator such as {\"$gt\": 5}"),
                row("{'a':{'$not':{'b':1}}}", "/a/$not/b", "\"b\" is not an operator"),
                row("{'a':{'$not':{'$regex':'x'}}}", "/a/$not/$regex", "unknown operator \"$regex\""),
                // field values
                row("{'a':{}}", "/a", "an operator object needs at least one operator such as {\"$gt\": 5}"),
                row(
                        "{'http':{'status':500}}",
                        "/http/status",
                        "\"status\" is not an operator: matching a whole object is not supported,"
                                + " and operators cannot be mixed with field names; to reach a nested field use a dotted path such as \"http.status\""),
                row("{'a':{'$gt':1,'b':2}}", "/a/b", "\"b\" is not an operator"),
                row(
                        "{'a':[1,2]}",
                        "/a",
                        "comparing a field with an array is not supported; use {\"$in\": [...]} to match any of several values"),
                // operator arguments
                row("{'a':{'$eq':[1]}}", "/a/$eq", "$eq must be a string, number, boolean or null, got an array"),
                row("{'a':{'$ne':{'x':1}}}", "/a/$ne", "$ne must be a string, number, boolean or null, got an object"),
                row("{'a':{'$gt':true}}", "/a/$gt", "$gt needs a number or a string, got a boolean"),
                row("{'a':{'$gte':null}}", "/a/$gte", "$gte needs a number or a string, got null"),
                row("{'a':{'$lt':[1]}}", "/a/$lt", "$lt needs a number or a string, got an array"),
                row("{'a':{'$lte':{}}}", "/a/$lte", "$lte needs a number or a string, got an object"),
                row("{'a':{'$in':5}}", "/a/$in", "$in needs an array of values, got a number"),
                row("{'a':{'$nin':'x'}}", "/a/$nin", "$nin needs an array of values, got a string"),
                row(
                        "{'a':{'$in':[1,[2]]}}",
                        "/a/$in/1",
                        "$in elements must be strings, numbers, booleans or null, got an array"),
                row(
                        "{'a':{'$nin':[{}]}}",
                        "/a/$nin/0",
                        "$nin elements must be strings, numbers, booleans or null, got an object"),
                row("{'a':{'$exists':1}}", "/a/$exists", "$exists needs true or false, got a number"),
                row("{'a':{'$exists':'true'}}", "/a/$exists", "$exists needs true or false, got a string"),
                row("{'a':{'$prefix':1}}", "/a/$prefix", "$prefix needs a string, got a number"),
                row("{'a':{'$prefix':null}}", "/a/$prefix", "$prefix needs a string, got null"),
                // field paths, and JSON Pointer escaping in locations
                row("{'':1}", "/", "invalid field path \"\": the field name is empty"),
                row(
                        "{'a..b':1}",
                        "/a..b",
                        "invalid field path \"a..b\": empty segment (leading, trailing or double dot)"),
                row("{'.a':1}", "/.a", "invalid field path \".a\""),
                row("{'a.':1}", "/a.", "invalid field path \"a.\""),
                row("{'a/b~c':{'$bad':1}}", "/a~1b~0c/$bad", "unknown operator \"$bad\""),
                row(
                        "{'" + "s.".repeat(32) + "s':1}",
                        "/" + "s.".repeat(32) + "s",
                        "field path has more than 32 segments"));
    }

    @ParameterizedTest(name = "{0} -> at {1}: {2}")
    @MethodSource("errors")
    void errorSaysWhereAndWhat(String filter, String location, String problemStart) {
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(text(filter)));
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.problem().startsWith(problemStart), () -> "problem was: " + e.problem());
        String prefix = location.isEmpty() ? "invalid filter: " : "invalid filter at " + location + ": ";
        assertEquals(prefix + e.problem(), e.getMessage());
    }

    /** The same checks apply to a filter that arrives as a JSON tree (the search body). */
    @ParameterizedTest(name = "{0} -> at {1}")
    @MethodSource("errors")
    void treeInputGivesTheSameErrors(String filter, String location, String problemStart) {
        if (problemStart.startsWith("malformed JSON")
                || problemStart.startsWith("duplicate key")
                || problemStart.startsWith("filter is empty")) {
            return; // only the text reader sees these: a tree is well-formed and has unique keys
        }
        JsonNode tree = json(filter);
        FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> Filter.parse(tree));
        assertEquals(location, e.location(), e.getMessage());
        assertTrue(e.problem().startsWith(problemStart), () -> "problem was: " + e.problem());
    }

    @Test
    void thirtyTwoPathSegmentsAreFine() {
        String path = "s.".repeat(31) + "s";
        Filter filter = Filter.parse("{\"" + path + "\":1}");
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ObjectNode at = document;
        for (int i = 0; i < 31; i++) {
            at = at.putObject("s");
        }
        at.put("s", 1);
        assertTrue(filter.matches(document));
        byte[] encoded = TestDocuments.msgpack(document);
        assertTrue(filter.matches(encoded, 0, encoded.length));
    }

    @Test
    void largeNumbersInFiltersAreAccepted() {
        assertEquals(
                "eq(a, 18446744073709551615)",
                Filter.parse("{\"a\":18446744073709551615}").toString());
        // beyond uint64 no stored value is exact: the literal becomes the nearest double
        assertEquals(
                "eq(a, 1.8446744073709552E19)",
                Filter.parse("{\"a\":18446744073709551616}").toString());
        assertEquals(
                "eq(a, -1.0E20)", Filter.parse("{\"a\":-100000000000000000000}").toString());
    }

    @Test
    void nullArgumentsAreProgrammingErrors() {
        assertThrows(NullPointerException.class, () -> Filter.parse((String) null));
        assertThrows(NullPointerException.class, () -> Filter.parse((JsonNode) null));
    }
}
