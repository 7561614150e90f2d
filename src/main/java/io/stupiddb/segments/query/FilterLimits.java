package io.stupiddb.segments.query;

/**
 * Size limits on a filter, so hostile input fails fast with a clear message instead of exhausting
 * the stack or the CPU. Every recursive step of parsing and evaluation is bounded by them.
 */
final class FilterLimits {

    /** Deepest allowed nesting of JSON objects and arrays; the filter's root object is level 1. */
    static final int MAX_DEPTH = 32;
    /** Most JSON values (objects, arrays, keys' values, array elements, scalars) in one filter. */
    static final int MAX_NODES = 1_000;
    /** Most segments in one dotted field path. */
    static final int MAX_PATH_SEGMENTS = 32;

    private FilterLimits() {}

    static FilterSyntaxException tooDeep(Location at) {
        return at.error("filter is nested deeper than " + MAX_DEPTH + " levels");
    }

    static FilterSyntaxException tooManyNodes(Location at) {
        return at.error("filter has more than " + MAX_NODES + " values (objects, arrays, strings, numbers...)");
    }
}
