package io.stupiddb.segments.query;

/**
 * A filter that cannot be parsed: malformed JSON, an unknown operator, a wrong argument type, or
 * input beyond the size limits. The REST layer turns it into a 400 whose detail is
 * {@link #getMessage()}, which always says where the problem is.
 *
 * <p>Immutable and thread-safe.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

    private final String location;
    private final String problem;

    FilterSyntaxException(String location, String problem) {
        super(location.isEmpty() ? "invalid filter: " + problem : "invalid filter at " + location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    /**
     * Where the problem is, as a JSON Pointer (RFC 6901) into the filter: {@code ""} for the filter
     * as a whole, {@code "/$or/1/status/$regex"} for an operator inside the second {@code $or}
     * branch. Dotted field paths stay one token ({@code "/http.status"}); {@code ~} and {@code /}
     * inside keys are escaped as {@code ~0} and {@code ~1}.
     */
    public String location() {
        return location;
    }

    /** What is wrong, without the location prefix of {@link #getMessage()}. */
    public String problem() {
        return problem;
    }
}
