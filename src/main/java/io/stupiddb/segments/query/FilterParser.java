package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a filter's JSON tree into an {@link Expr}, numbering its distinct paths (slots) and its
 * value tests (atoms) on the way. All syntax errors are {@link FilterSyntaxException}s that carry
 * the JSON Pointer of the offending value. Recursion is bounded by {@link FilterLimits#MAX_DEPTH}
 * whatever tree it is handed, and every value counts against {@link FilterLimits#MAX_NODES}.
 *
 * <p>Not thread-safe: one instance per parse.
 */
final class FilterParser {

    private static final String FIELD_OPERATORS = "$eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $prefix, $not";
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private final Map<String, Integer> slots = new HashMap<>();
    private final List<Atom> atoms = new ArrayList<>();
    private int nodes;

    int slotCount() {
        return slots.size();
    }

    int atomCount() {
        return atoms.size();
    }

    /** Parses a whole filter: its root must be a JSON object. */
    Expr parse(JsonNode root) {
        return filter(root, Location.ROOT, 1, "a filter must be a JSON object such as {\"level\":\"error\"}");
    }

    // ---- structure ---------------------------------------------------------------------------

    private void count(JsonNode node, Location at, int depth) {
        if (++nodes > FilterLimits.MAX_NODES) {
            throw FilterLimits.tooManyNodes(at);
        }
        if (node.isContainerNode() && depth > FilterLimits.MAX_DEPTH) {
            throw FilterLimits.tooDeep(at);
        }
    }

    /** A filter object: implicit AND of its entries. */
    private Expr filter(JsonNode node, Location at, int depth, String notAnObject) {
        count(node, at, depth);
        if (!node.isObject()) {
            throw at.error(notAnObject + ", got " + describe(node));
        }
        List<Expr> terms = new ArrayList<>(node.size());
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            Location child = at.key(key);
            if (key.startsWith("$")) {
                terms.add(logic(key, value, child, depth + 1));
            } else {
                terms.add(condition(path(key, child), value, child, depth + 1));
            }
        }
        return Expr.and(terms);
    }

    private Expr logic(String operator, JsonNode value, Location at, int depth) {
        return switch (operator) {
            case "$and" -> Expr.and(branches(operator, value, at, depth));
            case "$or" -> Expr.or(branches(operator, value, at, depth));
            case "$not" ->
                Expr.not(filter(
                        value, at, depth, "$not at the top level needs a filter object such as {\"level\":\"error\"}"));
            default -> {
                if (isFieldOperator(operator)) {
                    throw at.error(
                            operator + " must be applied to a field, as in {\"status\": {\"" + operator + "\": ...}}");
                }
                throw at.error("unknown operator \"" + operator + "\"; at the top level a filter accepts"
                        + " field names and $and, $or, $not");
            }
        };
    }

    private List<Expr> branches(String operator, JsonNode value, Location at, int depth) {
        count(value, at, depth);
        String needs = operator + " needs a non-empty array of filter objects";
        if (!value.isArray()) {
            throw at.error(needs + ", got " + describe(value));
        }
        if (value.isEmpty()) {
            throw at.error(needs + ", got an empty array");
        }
        List<Expr> branches = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            branches.add(filter(
                    value.get(i),
                    at.index(i),
                    depth + 1,
                    "each element of " + operator + " must be a filter object such as {\"level\":\"error\"}"));
        }
        return branches;
    }

    private static String path(String key, Location at) {
        String[] segments = key.split("\\.", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw at.error("invalid field path \"" + key + "\": "
                        + (key.isEmpty()
                                ? "the field name is empty"
                                : "empty segment (leading, trailing or double dot)"));
            }
        }
        if (segments.length > FilterLimits.MAX_PATH_SEGMENTS) {
            throw at.error("field path has more than " + FilterLimits.MAX_PATH_SEGMENTS + " segments");
        }
        return key;
    }

    // ---- conditions on one field -------------------------------------------------------------

    /** The value of a field entry: a constant (equality) or an object of operators. */
    private Expr condition(String path, JsonNode value, Location at, int depth) {
        if (value.isObject()) {
            return operators(path, value, at, depth);
        }
        count(value, at, depth);
        if (value.isArray()) {
            throw at.error("comparing a field with an array is not supported;"
                    + " use {\"$in\": [...]} to match any of several values");
        }
        return equal(path, literal(value, at, "a field's value"));
    }

    private Expr operators(String path, JsonNode object, Location at, int depth) {
        count(object, at, depth);
        if (object.isEmpty()) {
            throw at.error("an operator object needs at least one operator such as {\"$gt\": 5}");
        }
        List<Expr> terms = new ArrayList<>(object.size());
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            String operator = entry.getKey();
            JsonNode argument = entry.getValue();
            Location child = at.key(operator);
            if (!operator.startsWith("$")) {
                throw child.error("\"" + operator + "\" is not an operator: matching a whole object is not supported,"
                        + " and operators cannot be mixed with field names; to reach a nested field use a dotted path"
                        + " such as \"" + path + "." + operator + "\"");
            }
            terms.add(operator(path, operator, argument, child, depth + 1));
        }
        return Expr.and(terms);
    }

    private Expr operator(String path, String operator, JsonNode argument, Location at, int depth) {
        if (operator.equals("$not")) {
            if (!argument.isObject()) {
                count(argument, at, depth);
                throw at.error("$not needs an object of operators such as {\"$gt\": 5}, got " + describe(argument));
            }
            return Expr.not(operators(path, argument, at, depth));
        }
        count(argument, at, depth);
        return switch (operator) {
            case "$eq" -> equal(path, literal(argument, at, "$eq"));
            case "$ne" -> Expr.not(equal(path, literal(argument, at, "$ne")));
            case "$gt" -> range(path, RangeOp.GT, argument, at, operator);
            case "$gte" -> range(path, RangeOp.GTE, argument, at, operator);
            case "$lt" -> range(path, RangeOp.LT, argument, at, operator);
            case "$lte" -> range(path, RangeOp.LTE, argument, at, operator);
            case "$in" -> in(path, argument, at, depth, operator);
            case "$nin" -> Expr.not(in(path, argument, at, depth, operator));
            case "$exists" -> {
                if (!argument.isBoolean()) {
                    throw at.error("$exists needs true or false, got " + describe(argument));
                }
                Expr exists = new Expr.Exists(slot(path), path);
                yield argument.booleanValue() ? exists : Expr.not(exists);
            }
            case "$prefix" -> {
                if (!argument.isTextual()) {
                    throw at.error("$prefix needs a string, got " + describe(argument));
                }
                yield holds(path, new ValueCondition.Prefix(Literal.ofString(argument.textValue())));
            }
            case "$and", "$or" ->
                throw at.error(operator + " combines whole filters and belongs at the top level," + " as in {\""
                        + operator + "\": [{\"" + path + "\": ...}, ...]}; inside a field use " + FIELD_OPERATORS);
            default -> throw at.error("unknown operator \"" + operator + "\"; a field accepts " + FIELD_OPERATORS);
        };
    }

    /**
     * Equality. {@code null} matches an explicit null or a missing field (as in MongoDB), so that
     * {@code {"$ne": null}} means "has a non-null value".
     */
    private Expr equal(String path, Literal value) {
        Expr eq = holds(path, new ValueCondition.Eq(value));
        return value.kind == ValueKind.NIL ? Expr.or(List.of(eq, missing(path))) : eq;
    }

    private Expr range(String path, RangeOp op, JsonNode argument, Location at, String operator) {
        if (!argument.isNumber() && !argument.isTextual()) {
            throw at.error(operator + " needs a number or a string, got " + describe(argument));
        }
        return holds(path, new ValueCondition.Range(op, literal(argument, at, operator)));
    }

    private Expr in(String path, JsonNode argument, Location at, int depth, String operator) {
        if (!argument.isArray()) {
            throw at.error(operator + " needs an array of values, got " + describe(argument));
        }
        List<Literal> values = new ArrayList<>(argument.size());
        for (int i = 0; i < argument.size(); i++) {
            Location element = at.index(i);
            JsonNode value = argument.get(i);
            count(value, element, depth + 1);
            if (value.isContainerNode()) {
                throw element.error(
                        operator + " elements must be strings, numbers, booleans or null, got " + describe(value));
            }
            values.add(literal(value, element, operator + " element"));
        }
        if (values.isEmpty()) {
            return Expr.FALSE;
        }
        ValueCondition.In test = new ValueCondition.In(values);
        Expr in = holds(path, test);
        return test.containsNil() ? Expr.or(List.of(in, missing(path))) : in;
    }

    private Expr missing(String path) {
        return Expr.not(new Expr.Exists(slot(path), path));
    }

    private Expr holds(String path, ValueCondition test) {
        Atom atom = new Atom(atoms.size(), slot(path), path, test);
        atoms.add(atom);
        return new Expr.Holds(atom);
    }

    private int slot(String path) {
        return slots.computeIfAbsent(path, p -> slots.size());
    }

    // ---- constants ---------------------------------------------------------------------------

    /** A scalar JSON value as a literal; {@code what} names the context for the error. */
    private static Literal literal(JsonNode value, Location at, String what) {
        if (value.isNull()) {
            return Literal.NIL;
        }
        if (value.isBoolean()) {
            return Literal.ofBool(value.booleanValue());
        }
        if (value.isTextual()) {
            return Literal.ofString(value.textValue());
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToLong()) {
                return Literal.ofLong(value.longValue());
            }
            BigInteger big = value.bigIntegerValue();
            // Beyond uint64 no document value is exact anyway: compare as the nearest double.
            return big.signum() > 0 && big.compareTo(TWO_64) < 0
                    ? Literal.ofU64(big.longValue())
                    : Literal.ofDouble(big.doubleValue());
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            if (Double.isNaN(d)) {
                throw at.error(what + ": NaN is not a number that can be compared");
            }
            return Literal.ofDouble(d);
        }
        throw at.error(what + " must be a string, number, boolean or null, got " + describe(value));
    }

    private static boolean isFieldOperator(String operator) {
        return switch (operator) {
            case "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists", "$prefix" -> true;
            default -> false;
        };
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> node.isEmpty() ? "an empty array" : "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
            case POJO -> "a Java object";
        };
    }
}
