package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnOptions;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.FieldValues;
import io.stupiddb.segments.format.column.RowSet;
import io.stupiddb.segments.query.FilterSyntaxException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-checked plans: each case names the rows it expects in each of the three sets. */
class BlockPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ColumnGroup group(ColumnOptions options, List<String> paths, String... documents) {
        List<FieldValues> rows = Arrays.stream(documents)
                .map(d -> FieldValues.of(PlanGenerators.msgpack(json(d))))
                .toList();
        return ColumnGroup.read(
                ColumnGroup.encode(paths.stream().map(ColumnPath::of).toList(), rows, options));
    }

    static void assertPlan(ColumnGroup group, String filter, int[] matching, int[] notMatching, int[] undecided) {
        BlockPlan plan = BlockPlanner.compile(filter.replace('\'', '"')).plan(group);
        int n = group.rows();
        assertEquals(RowSet.of(n, matching), plan.matching(), filter + " matching");
        assertEquals(RowSet.of(n, notMatching), plan.notMatching(), filter + " notMatching");
        assertEquals(RowSet.of(n, undecided), plan.undecided(), filter + " undecided");
    }

    private static int[] rows(int... rows) {
        return rows;
    }

    @Test
    void integerRanges() {
        ColumnGroup g =
                group(ColumnOptions.DEFAULT, List.of("a"), "{'a':0}", "{'a':1}", "{'a':2}", "{'b':1}", "{'a':1.5}");
        assertPlan(g, "{'a':{'$gte':1}}", rows(1, 2, 4), rows(0, 3), rows());
        assertPlan(g, "{'a':{'$gt':1}}", rows(2, 4), rows(0, 1, 3), rows());
        assertPlan(g, "{'a':{'$lt':1.5}}", rows(0, 1), rows(2, 3, 4), rows());
        assertPlan(g, "{'a':{'$lte':1.5}}", rows(0, 1, 4), rows(2, 3), rows());
        assertPlan(g, "{'a':1}", rows(1), rows(0, 2, 3, 4), rows());
        assertPlan(g, "{'a':1.0}", rows(1), rows(0, 2, 3, 4), rows());
        assertPlan(g, "{'a':{'$ne':1}}", rows(0, 2, 3, 4), rows(1), rows());
        assertPlan(g, "{'a':{'$gte':'1'}}", rows(), rows(0, 1, 2, 3, 4), rows());
        assertPlan(g, "{'a':{'$in':[2, 1.5, 'x']}}", rows(2, 4), rows(0, 1, 3), rows());
        assertPlan(g, "{'a':{'$nin':[2, null]}}", rows(0, 1, 4), rows(2, 3), rows());
    }

    @Test
    void dictionaryStrings() {
        ColumnGroup g = group(
                ColumnOptions.DEFAULT,
                List.of("s"),
                "{'s':'a'}",
                "{'s':'ab'}",
                "{'s':'b'}",
                "{}",
                "{'s':'😀'}",
                "{'s':'～'}");
        assertPlan(g, "{'s':{'$prefix':'a'}}", rows(0, 1), rows(2, 3, 4, 5), rows());
        assertPlan(g, "{'s':{'$prefix':''}}", rows(0, 1, 2, 4, 5), rows(3), rows());
        assertPlan(g, "{'s':{'$gt':'a'}}", rows(1, 2, 4, 5), rows(0, 3), rows());
        assertPlan(g, "{'s':{'$gt':'～'}}", rows(4), rows(0, 1, 2, 3, 5), rows()); // code point order, not UTF-16
        assertPlan(g, "{'s':{'$in':['b','zz']}}", rows(2), rows(0, 1, 3, 4, 5), rows());
        assertPlan(g, "{'s':{'$ne':'b'}}", rows(0, 1, 3, 4, 5), rows(2), rows());
        assertPlan(g, "{'s':{'$exists':false}}", rows(3), rows(0, 1, 2, 4, 5), rows());
        assertPlan(g, "{'s':null}", rows(3), rows(0, 1, 2, 4, 5), rows());
    }

    @Test
    void bloomSkipsBlocksWithoutTheValueAndLeavesTheRestToTheDocuments() {
        ColumnOptions bloomOnly = new ColumnOptions(0, 0, 0.01);
        ColumnGroup g =
                group(bloomOnly, List.of("trace_id"), "{'trace_id':'t1'}", "{'trace_id':'t2'}", "{}", "{'trace_id':7}");
        assertPlan(g, "{'trace_id':'t2'}", rows(), rows(2, 3), rows(0, 1));
        BlockPlan absent = BlockPlanner.compile("{\"trace_id\":\"t-absent\"}").plan(g);
        assertTrue(absent.noneCanMatch(), absent.toString());
        assertPlan(g, "{'trace_id':{'$in':['nope','t1']}}", rows(), rows(2, 3), rows(0, 1));
        assertPlan(g, "{'trace_id':{'$prefix':''}}", rows(0, 1), rows(2, 3), rows());
        assertPlan(g, "{'trace_id':{'$gt':'t'}}", rows(), rows(2, 3), rows(0, 1));
        assertPlan(g, "{'trace_id':{'$gt':5}}", rows(3), rows(0, 1, 2), rows());
    }

    @Test
    void floatStatisticsDecideWholeBlocks() {
        ColumnGroup g = group(ColumnOptions.DEFAULT, List.of("ms"), "{'ms':0.5}", "{'ms':2.5}", "{'ms':-0.0}", "{}");
        assertTrue(BlockPlanner.compile("{\"ms\":{\"$gt\":2.5}}").plan(g).noneCanMatch());
        assertPlan(g, "{'ms':{'$gte':-0.0}}", rows(0, 1, 2), rows(3), rows());
        assertPlan(g, "{'ms':0}", rows(2), rows(0, 1, 3), rows()); // -0.0 == 0
        assertPlan(g, "{'ms':{'$lt':1}}", rows(0, 2), rows(1, 3), rows());
        assertPlan(g, "{'ms':{'$in':[2.5, 9007199254740993]}}", rows(1), rows(0, 2, 3), rows());
    }

    @Test
    void arraysObjectsAndRepeatedKeysAreLeftToTheDocuments() {
        ColumnGroup g = group(
                ColumnOptions.DEFAULT,
                List.of("tags", "a.b"),
                "{'tags':['x','y'],'a':{'b':1}}",
                "{'tags':'x','a':[{'b':1}]}",
                "{'tags':{'k':1},'a':5}",
                "{}");
        assertPlan(g, "{'tags':'x'}", rows(1), rows(3), rows(0, 2));
        assertPlan(g, "{'tags':{'$exists':true}}", rows(1), rows(3), rows(0, 2));
        assertPlan(g, "{'a.b':1}", rows(0), rows(2, 3), rows(1));
        assertPlan(g, "{'a.b':{'$ne':1}}", rows(2, 3), rows(0), rows(1));
    }

    @Test
    void pathsWithoutColumnsAreUndecidedUnlessAnotherTermDecides() {
        ColumnGroup g =
                group(ColumnOptions.DEFAULT, List.of("level"), "{'level':'error','x':1}", "{'level':'info','x':1}");
        assertPlan(g, "{'x':1}", rows(), rows(), rows(0, 1));
        assertPlan(g, "{'level':'error','x':1}", rows(), rows(1), rows(0));
        assertPlan(g, "{'$or':[{'level':'error'},{'x':1}]}", rows(0), rows(), rows(1));
        assertPlan(g, "{'$not':{'level':'error','x':1}}", rows(1), rows(), rows(0));
    }

    @Test
    void constantFiltersReadNoColumn() {
        ColumnGroup g = group(ColumnOptions.DEFAULT, List.of("a"), "{'a':1}", "{}");
        assertPlan(g, "{}", rows(0, 1), rows(), rows());
        assertPlan(g, "{'a':{'$in':[]}}", rows(), rows(0, 1), rows());
        assertPlan(g, "{'a':{'$nin':[]}}", rows(0, 1), rows(), rows());
        assertTrue(BlockPlanner.compile("{}").plan(g).allMatch());
    }

    @Test
    void nullEqualityAndNegationsOnMissingFieldsFollowTheQueryRules() {
        ColumnGroup g =
                group(ColumnOptions.DEFAULT, List.of("f"), "{'f':null}", "{}", "{'f':1}", "{'f':'x'}", "{'f':false}");
        assertPlan(g, "{'f':null}", rows(0, 1), rows(2, 3, 4), rows());
        assertPlan(g, "{'f':{'$ne':null}}", rows(2, 3, 4), rows(0, 1), rows());
        assertPlan(g, "{'f':{'$in':[null, 1]}}", rows(0, 1, 2), rows(3, 4), rows());
        assertPlan(g, "{'f':{'$nin':[1, 'x']}}", rows(0, 1, 4), rows(2, 3), rows());
        assertPlan(g, "{'f':{'$not':{'$gt':0}}}", rows(0, 1, 3, 4), rows(2), rows());
        assertPlan(g, "{'f':false}", rows(4), rows(0, 1, 2, 3), rows());
        assertPlan(g, "{'f':{'$exists':false}}", rows(1), rows(0, 2, 3, 4), rows());
    }

    @Test
    void theBriefsQueryOnLogLines() {
        ColumnGroup g = group(
                ColumnOptions.DEFAULT,
                List.of("level", "http.status"),
                "{'level':'error','http':{'status':503}}",
                "{'level':'error','http':{'status':404}}",
                "{'level':'info','http':{'status':500}}",
                "{'level':'error'}",
                "{'level':'error','http':{'status':'5xx'}}");
        assertPlan(g, "{'level':'error','http.status':{'$gte':500}}", rows(0), rows(1, 2, 3, 4), rows());
    }

    @Test
    void aDamagedColumnIsReportedNotAnswered() {
        List<FieldValues> rows = List.of(FieldValues.of(PlanGenerators.msgpack(json("{'level':'error'}"))));
        byte[] bytes = ColumnGroup.encode(List.of(ColumnPath.of("level")), rows, ColumnOptions.DEFAULT);
        bytes[bytes.length - 1] ^= 1; // inside the column block, after the directory
        ColumnGroup damaged = ColumnGroup.read(bytes);
        BlockPlanner planner = BlockPlanner.compile("{\"level\":\"error\"}");
        assertThrows(CorruptSegmentException.class, () -> planner.plan(damaged));
    }

    @Test
    void syntaxErrorsAreTheFiltersOwn() {
        FilterSyntaxException e =
                assertThrows(FilterSyntaxException.class, () -> BlockPlanner.compile("{\"a\":{\"$regex\":1}}"));
        assertEquals("/a/$regex", e.location());
        assertEquals(
                List.of("level", "http.status"),
                BlockPlanner.compile("{\"level\":\"e\",\"http.status\":1}").paths());
    }
}
