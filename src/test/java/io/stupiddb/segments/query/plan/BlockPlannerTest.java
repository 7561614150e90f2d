package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnOptions;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.FieldValues;
import io.stupiddb.segments.format.column.RowSet;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        List<FieldValues> rows = Arrays.stream(documents).map(d -> FieldValues.of(PlanGenerators.msgpack(json(d)))).toList();
        return ColumnGroup.read(ColumnGroup.encode(paths.stream().map(ColumnPath::of).toList(), rows, options));
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
        ColumnGroup g = group(ColumnOptions.DEFAULT, List.of("a"), "{'a':0}", "{'a':1}", "{'a':2}", "{'b':1}", "{'a':1.5}");
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
        ColumnGroup g = group(ColumnOptions.DEFAULT, List.of("s"), "{'s':'a'}", "{'s':'ab'}", "{'s':'b'}", "{}", "{'s':'😀'}", "{'s':'～'}");
        assertPlan(g, "{'s':{'$prefix':'a'}}", rows(0, 1), rows(2, 3, 4, 5), rows());
        assertPlan(g, "{'s':{'$prefix':''}}", rows(0, 1, 2, 4, 5), rows(3), rows());
        assertPlan(g, "{'s':{'$gt':'a'}}", rows(1, 2, 4, 5), rows(0, 3), rows());
        assertPlan(g, "{'s':{'$gt':'～'}}", rows(4), rows(0, 1, 2, 3, 5), rows()); // code point order, not UTF-16
        assertPlan(g, "{'s':{'$in':['b','zz']}}", rows(2), rows(0, 1, 3, 4, 5), rows());
        assertPlan(g, "{'s':{'$ne':'b'}}", rows(0, 1, 3, 4, 5), rows(2), rows());
        assertPlan(g, "{'s':{'$exists':false}}", rows(3), rows(0, 1, 2, 4, 5), rows());
        assertPlan(g, "{'s':null}", rows(3), rows(0, 1, 2, 4, 5), rows());
    }
}
