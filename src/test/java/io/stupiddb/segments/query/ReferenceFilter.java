package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A deliberately naive, separate implementation of the filter semantics in docs/QUERY.md, used as
 * the model the real {@link Filter} is checked against. It interprets the filter JSON directly
 * (no parsing into a tree, no folding, no path trie), resolves paths by collecting every value
 * they reach, compares numbers as {@link BigDecimal} and strings by code points. It assumes a
 * valid filter: syntax checking is not its job.
 */
public final class ReferenceFilter {

    private ReferenceFilter() {}

    public static boolean matches(JsonNode filter, JsonNode document) {
        for (Map.Entry<String, JsonNode> entry : filter.properties()) {
            JsonNode value = entry.getValue();
            boolean holds = switch (entry.getKey()) {
                case "$and" -> all(value, branch -> matches(branch, document));
                case "$or" -> !all(value, branch -> !matches(branch, document));
                case "$not" -> !matches(value, document);
                default -> condition(resolve(document, entry.getKey()), value);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode element : array) {
            if (!test.test(element)) {
                return false;
            }
        }
        return true;
    }

    private static boolean condition(List<JsonNode> values, JsonNode condition) {
        if (!condition.isObject()) {
            return operator(values, "$eq", condition);
        }
        for (Map.Entry<String, JsonNode> entry : condition.properties()) {
            if (!operator(values, entry.getKey(), entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean operator(List<JsonNode> values, String operator, JsonNode argument) {
        return switch (operator) {
            case "$eq" ->
                argument.isNull()
                        ? values.isEmpty() || anyScalar(values, JsonNode::isNull)
                        : anyScalar(values, v -> compare(v, argument) == 0);
            case "$ne" -> !operator(values, "$eq", argument);
            case "$gt" -> anyScalar(values, v -> compare(v, argument) == 1);
            case "$gte" -> anyScalar(values, v -> compare(v, argument) == 1 || compare(v, argument) == 0);
            case "$lt" -> anyScalar(values, v -> compare(v, argument) == -1);
            case "$lte" -> anyScalar(values, v -> compare(v, argument) == -1 || compare(v, argument) == 0);
            case "$in" -> !all(argument, choice -> !operator(values, "$eq", choice));
            case "$nin" -> !operator(values, "$in", argument);
            case "$exists" -> values.isEmpty() != argument.booleanValue();
            case "$prefix" ->
                anyScalar(values, v -> v.isTextual() && v.textValue().startsWith(argument.textValue()));
            case "$not" -> !condition(values, argument);
            default -> throw new IllegalArgumentException(operator);
        };
    }

    /** Some scalar value, or scalar element of an array value, passes. */
    private static boolean anyScalar(List<JsonNode> values, Predicate<JsonNode> test) {
        for (JsonNode value : values) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (!element.isContainerNode() && test.test(element)) {
                        return true;
                    }
                }
            } else if (!value.isContainerNode() && test.test(value)) {
                return true;
            }
        }
        return false;
    }

    /** -1, 0, 1, or 2 when the two do not compare. */
    private static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return Integer.signum(decimal(a).compareTo(decimal(b)));
        }
        if (a.isTextual() && b.isTextual()) {
            return Integer.signum(compareCodePoints(a.textValue(), b.textValue()));
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Integer.signum(Boolean.compare(a.booleanValue(), b.booleanValue()));
        }
        if (a.isNull() && b.isNull()) {
            return 0;
        }
        return 2;
    }

    private static BigDecimal decimal(JsonNode number) {
        return number.isIntegralNumber()
                ? new BigDecimal(number.bigIntegerValue())
                : new BigDecimal(number.doubleValue());
    }

    private static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** Every value the dotted path reaches, stepping into objects and into objects inside arrays. */
    static List<JsonNode> resolve(JsonNode document, String path) {
        List<JsonNode> current = List.of(document);
        for (String segment : path.split("\\.")) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                if (node.isObject()) {
                    addIfPresent(next, node.get(segment));
                } else if (node.isArray()) {
                    for (JsonNode element : node) {
                        if (element.isObject()) {
                            addIfPresent(next, element.get(segment));
                        }
                    }
                }
            }
            current = next;
        }
        return current;
    }

    private static void addIfPresent(List<JsonNode> into, JsonNode value) {
        if (value != null) {
            into.add(value);
        }
    }
}
