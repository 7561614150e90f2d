package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnOptions;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.FieldValues;
import io.stupiddb.segments.format.column.RowSet;
import io.stupiddb.segments.query.Filter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner against brute force: random blocks of documents written as a column group (random
 * subsets of the paths as columns, dictionaries or blooms), random filters, and
 * {@code Filter.matches} on every document as the truth. For every block:
 * matching ⊆ truth, notMatching ∩ truth = ∅, matching ∪ (undecided ∩ truth) = truth, and the
 * three sets partition the rows.
 */
class BlockPlannerPropertyTest {

    @Property(tries = 1_000)
    void planAgreesWithEvaluatingEveryDocument(
            @ForAll("blocks") List<JsonNode> documents,
            @ForAll("filters") JsonNode filterJson,
            @ForAll("columnSets") List<String> columnPaths,
            @ForAll("options") ColumnOptions options) {
        BlockPlan plan = check(documents, filterJson, columnPaths, options);
        // Guards the generators: a planner that decides nothing would pass the rest trivially.
        double decided = 1.0 - (double) plan.undecided().cardinality() / plan.rows();
        Statistics.label("decided")
                .collect(decided == 1.0 ? "all" : decided >= 0.5 ? "most" : decided > 0 ? "some" : "none");
        Statistics.label("decided").coverage(coverage -> coverage.check("all").percentage(p -> p > 30));
        Statistics.label("block").collect(plan.noneCanMatch() ? "skipped" : plan.allMatch() ? "all match" : "mixed");
        Statistics.label("block").coverage(coverage -> coverage.check("skipped").percentage(p -> p > 5));
    }

    /**
     * The properties' assertions, callable without jqwik (see {@code PlannerCrossCheckTest}).
     *
     * @return the plan, for statistics
     */
    static BlockPlan check(
            List<JsonNode> documents, JsonNode filterJson, List<String> columnPaths, ColumnOptions options) {
        List<FieldValues> values = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        for (JsonNode document : documents) {
            byte[] bytes = PlanGenerators.msgpack(document);
            encoded.add(bytes);
            values.add(FieldValues.of(bytes));
        }
        List<ColumnPath> paths = columnPaths.stream().map(ColumnPath::of).toList();
        ColumnGroup group = ColumnGroup.read(ColumnGroup.encode(paths, values, options));

        BlockPlanner planner = BlockPlanner.compile(filterJson);
        Filter filter = planner.filter();
        BlockPlan plan = planner.plan(group);

        int rows = documents.size();
        RowSet truth = RowSet.empty(rows);
        for (int r = 0; r < rows; r++) {
            if (filter.matches(encoded.get(r))) {
                truth.add(r);
            }
        }
        String context = "filter " + filterJson + " = " + planner + "\ncolumns " + columnPaths + "\ndocuments "
                + documents + "\ntruth " + truth + "\nplan " + plan;

        // Partition.
        assertEquals(
                rows,
                plan.matching().cardinality()
                        + plan.notMatching().cardinality()
                        + plan.undecided().cardinality(),
                context);
        assertFalse(plan.matching().intersects(plan.notMatching()), context);
        // matching ⊆ truth
        RowSet wrongYes = plan.matching().copy();
        wrongYes.andNot(truth);
        assertTrue(wrongYes.isEmpty(), "certain rows that do not match: " + wrongYes + "\n" + context);
        // notMatching ∩ truth = ∅
        assertFalse(plan.notMatching().intersects(truth), "excluded rows that match\n" + context);
        // matching ∪ (undecided ∩ truth) = truth
        RowSet rebuilt = plan.undecided().copy();
        rebuilt.and(truth);
        rebuilt.or(plan.matching());
        assertEquals(truth, rebuilt, context);
        assertEquals(
                plan.noneCanMatch(),
                plan.matching().isEmpty() && plan.undecided().isEmpty());
        return plan;
    }

    /** The text and tree entry points compile to the same plan (number literals included). */
    @Property(tries = 300)
    void textAndTreeCompileTheSame(@ForAll("filters") JsonNode filterJson) {
        assertEquals(
                BlockPlanner.compile(filterJson).toString(),
                BlockPlanner.compile(filterJson.toString()).toString());
    }

    /**
     * Single operators on typed blocks: every leaf rule, dense. (A deliberately planted bug —
     * {@code $prefix} answered as equality on dictionaries — was found after about 250 tries.)
     */
    @Property(tries = 1_500)
    void singleOperatorPlansAgreeWithEvaluatingEveryDocument(
            @ForAll("typedBlocks") List<JsonNode> documents,
            @ForAll("leafFilters") JsonNode filterJson,
            @ForAll("options") ColumnOptions options) {
        BlockPlan plan = check(documents, filterJson, PlanGenerators.PATHS, options);
        Statistics.label("block").collect(plan.noneCanMatch() ? "skipped" : plan.allMatch() ? "all match" : "mixed");
    }

    @Provide
    Arbitrary<List<JsonNode>> typedBlocks() {
        return PlanGenerators.typedBlock();
    }

    @Provide
    Arbitrary<JsonNode> leafFilters() {
        return PlanGenerators.leafFilters();
    }

    @Provide
    Arbitrary<List<JsonNode>> blocks() {
        return PlanGenerators.blocks();
    }

    @Provide
    Arbitrary<JsonNode> filters() {
        return PlanGenerators.filters();
    }

    /** Usually every path is a column; sometimes only some (the others must stay undecided). */
    @Provide
    Arbitrary<List<String>> columnSets() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(PlanGenerators.PATHS)),
                net.jqwik.api.Tuple.of(
                        1,
                        Arbitraries.subsetOf(PlanGenerators.PATHS)
                                .map(s -> s.stream().sorted().toList())));
    }

    /** Dictionaries, blooms (no dictionary allowed), and small dictionaries that overflow to blooms. */
    @Provide
    Arbitrary<ColumnOptions> options() {
        return Arbitraries.of(ColumnOptions.DEFAULT, new ColumnOptions(0, 0, 0.01), new ColumnOptions(3, 1 << 10, 0.3));
    }
}
