package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.format.column.BlockColumns;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.RowSet;
import io.stupiddb.segments.query.Filter;

import java.util.List;

/**
 * Plans a filter over the column blocks of format v2: for each block, which rows certainly match,
 * which certainly do not, and which must be tested on their documents ({@link BlockPlan}). The
 * semantics are those of {@link Filter} exactly (docs/QUERY.md): a row is only decided when its
 * columns make the answer certain (kinds, values, or block statistics); arrays, repeated keys and
 * anything else a column cannot represent are left undecided.
 *
 * <p>Use: {@code BlockPlanner planner = BlockPlanner.compile(filterJson);} once per query, then
 * per block {@code BlockPlan plan = planner.plan(columnGroup);} — skip the block when
 * {@link BlockPlan#noneCanMatch()}, return {@link BlockPlan#matching()} rows unread, and test
 * {@link BlockPlan#undecided()} rows with {@link #filter()}.
 *
 * <p>Immutable and thread-safe: one planner may plan blocks on many threads at once.
 */
public final class BlockPlanner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Filter filter;
    private final PlanExpr root;
    private final List<ColumnPath> paths;

    private BlockPlanner(Filter filter, PlanExpr root, List<ColumnPath> paths) {
        this.filter = filter;
        this.root = root;
        this.paths = List.copyOf(paths);
    }

    /**
     * Parses and compiles filter JSON text.
     *
     * @throws io.stupiddb.segments.query.FilterSyntaxException exactly as {@link Filter#parse(String)}
     */
    public static BlockPlanner compile(String filterJson) {
        Filter filter = Filter.parse(filterJson); // the one place syntax is checked and reported
        try {
            return compile(filter, JSON.readTree(filterJson));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Filter.parse accepted JSON that Jackson refuses", e);
        }
    }

    /**
     * Compiles a filter already read as JSON (e.g. the {@code "filter"} member of a search body).
     *
     * @throws io.stupiddb.segments.query.FilterSyntaxException exactly as {@link Filter#parse(JsonNode)}
     */
    public static BlockPlanner compile(JsonNode filterJson) {
        return compile(Filter.parse(filterJson), filterJson);
    }

    private static BlockPlanner compile(Filter filter, JsonNode json) {
        PlanCompiler compiler = new PlanCompiler();
        PlanExpr root = compiler.compile(json);
        return new BlockPlanner(filter, root, compiler.paths());
    }

    /** The filter itself, for the undecided rows' documents. */
    public Filter filter() {
        return filter;
    }

    /** The paths the filter reads: the columns worth having. */
    public List<String> paths() {
        return paths.stream().map(ColumnPath::path).toList();
    }

    /**
     * Plans one block.
     *
     * @throws io.stupiddb.segments.format.CorruptSegmentException when a column the filter needs
     *                                                             fails its checks
     */
    public BlockPlan plan(BlockColumns block) {
        BlockEvaluation.Tri answer = new BlockEvaluation(block, paths).eval(root);
        RowSet undecided = RowSet.full(block.rows());
        undecided.andNot(answer.yes());
        undecided.andNot(answer.no());
        return new BlockPlan(answer.yes(), answer.no(), undecided);
    }

    /** The compiled form, e.g. {@code and(eq(level, "error"), gte(http.status, 500))}. */
    @Override
    public String toString() {
        return root.toString();
    }
}
