package io.stupiddb.segments.query.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.query.RangeOp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a filter's JSON tree, already accepted by {@code Filter.parse}, into a {@link PlanExpr}.
 * It follows the query package's FilterParser rule for rule (that class and its Expr tree are
 * package-private there, and this work may not change them):
 *
 * <ul>
 *   <li>an object is the AND of its entries; {@code $and}/{@code $or} of branches; top-level
 *       {@code $not} negates a filter, field {@code $not} negates the AND of its operators;</li>
 *   <li>equality with {@code null} is {@code or(eq null, not exists)}; {@code $ne} is
 *       {@code not(eq)}; {@code $nin} is {@code not(in)}; {@code $in: []} is false and an
 *       {@code $in} holding null also matches a missing field;</li>
 *   <li>literals: integers that fit a long are LONG, those in (2^63, 2^64) U64, any other number
 *       the nearest double.</li>
 * </ul>
 *
 * The property test in the tests checks the result against {@code Filter.matches} on random
 * filters and documents, which is what keeps the two in step.
 *
 * <p>Not thread-safe: one instance per compile.
 */
final class PlanCompiler {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final Map<String, Integer> slots = new LinkedHashMap<>();
    private final List<ColumnPath> paths = new ArrayList<>();

    /** The distinct paths, indexed by slot. */
    List<ColumnPath> paths() {
        return paths;
    }

    PlanExpr compile(JsonNode filter) {
        List<PlanExpr> terms = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : filter.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            terms.add(
                    switch (key) {
                        case "$and" -> PlanExpr.and(branches(value));
                        case "$or" -> PlanExpr.or(branches(value));
                        case "$not" -> PlanExpr.not(compile(value));
                        default -> condition(key, value);
                    });
        }
        return PlanExpr.and(terms);
    }

    private List<PlanExpr> branches(JsonNode array) {
        List<PlanExpr> branches = new ArrayList<>(array.size());
        for (JsonNode branch : array) {
            branches.add(compile(branch));
        }
        return branches;
    }

    private PlanExpr condition(String path, JsonNode value) {
        if (!value.isObject()) {
            return equal(path, literal(value));
        }
        List<PlanExpr> terms = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            JsonNode argument = entry.getValue();
            terms.add(
                    switch (entry.getKey()) {
                        case "$not" -> PlanExpr.not(condition(path, argument));
                        case "$eq" -> equal(path, literal(argument));
                        case "$ne" -> PlanExpr.not(equal(path, literal(argument)));
                        case "$gt" -> holds(path, new PlanTest.Range(RangeOp.GT, literal(argument)));
                        case "$gte" -> holds(path, new PlanTest.Range(RangeOp.GTE, literal(argument)));
                        case "$lt" -> holds(path, new PlanTest.Range(RangeOp.LT, literal(argument)));
                        case "$lte" -> holds(path, new PlanTest.Range(RangeOp.LTE, literal(argument)));
                        case "$in" -> in(path, argument);
                        case "$nin" -> PlanExpr.not(in(path, argument));
                        case "$exists" -> {
                            PlanExpr exists = exists(path);
                            yield argument.booleanValue() ? exists : PlanExpr.not(exists);
                        }
                        case "$prefix" -> holds(path, new PlanTest.Prefix(PlanLiteral.ofString(argument.textValue())));
                        default ->
                            throw new IllegalArgumentException(
                                    "operator " + entry.getKey() + " passed Filter.parse but is unknown here");
                    });
        }
        return PlanExpr.and(terms);
    }

    private PlanExpr equal(String path, PlanLiteral value) {
        PlanExpr eq = holds(path, new PlanTest.Eq(value));
        return value.kind() == PlanLiteral.Kind.NIL ? PlanExpr.or(List.of(eq, PlanExpr.not(exists(path)))) : eq;
    }

    private PlanExpr in(String path, JsonNode array) {
        List<PlanLiteral> values = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            values.add(literal(element));
        }
        if (values.isEmpty()) {
            return PlanExpr.FALSE;
        }
        PlanTest.In test = new PlanTest.In(values);
        PlanExpr in = holds(path, test);
        return test.containsNil() ? PlanExpr.or(List.of(in, PlanExpr.not(exists(path)))) : in;
    }

    private PlanExpr exists(String path) {
        int slot = slot(path);
        return new PlanExpr.Exists(slot, paths.get(slot));
    }

    private PlanExpr holds(String path, PlanTest test) {
        int slot = slot(path);
        return new PlanExpr.Holds(slot, paths.get(slot), test);
    }

    private int slot(String path) {
        return slots.computeIfAbsent(path, p -> {
            paths.add(ColumnPath.of(p));
            return paths.size() - 1;
        });
    }

    private static PlanLiteral literal(JsonNode value) {
        if (value.isNull()) {
            return PlanLiteral.NIL;
        }
        if (value.isBoolean()) {
            return PlanLiteral.ofBool(value.booleanValue());
        }
        if (value.isTextual()) {
            return PlanLiteral.ofString(value.textValue());
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return PlanLiteral.ofLong(value.longValue());
            }
            BigInteger big = value.bigIntegerValue();
            return big.signum() > 0 && big.compareTo(TWO_64) < 0
                    ? PlanLiteral.ofU64(big.longValue())
                    : PlanLiteral.ofDouble(big.doubleValue());
        }
        if (value.isNumber()) {
            return PlanLiteral.ofDouble(value.doubleValue());
        }
        throw new IllegalArgumentException("not a filter constant: " + value);
    }
}
