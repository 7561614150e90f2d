package io.stupiddb.segments.query;

/**
 * Where the parser is inside the filter, as a persistent linked list of JSON Pointer tokens, so
 * descending costs one small object and the pointer text is only built for an error message.
 *
 * <p>Immutable and thread-safe.
 */
record Location(Location parent, String token) {

    static final Location ROOT = new Location(null, null);

    Location key(String key) {
        return new Location(this, key);
    }

    Location index(int index) {
        return new Location(this, Integer.toString(index));
    }

    /** The JSON Pointer (RFC 6901): {@code ""} for the root, {@code "/$or/1/status"} below it. */
    String pointer() {
        if (parent == null) {
            return "";
        }
        String escaped = token.replace("~", "~0").replace("/", "~1");
        return parent.pointer() + "/" + escaped;
    }

    FilterSyntaxException error(String problem) {
        return new FilterSyntaxException(pointer(), problem);
    }
}
