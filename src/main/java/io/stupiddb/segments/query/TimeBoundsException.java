package io.stupiddb.segments.query;

/**
 * A {@code from}/{@code to} time bound that is not a timestamp, or a {@code from} later than its
 * {@code to}. The REST layer turns it into a 400; the message names the parameter and the value.
 *
 * <p>Immutable and thread-safe.
 */
public final class TimeBoundsException extends IllegalArgumentException {

    private final String parameter;
    private final String value;

    TimeBoundsException(String parameter, String value, String message) {
        super(message);
        this.parameter = parameter;
        this.value = value;
    }

    /** The request parameter at fault, e.g. {@code "from"} or {@code "to"}. */
    public String parameter() {
        return parameter;
    }

    /** The rejected text, exactly as given. */
    public String value() {
        return value;
    }
}
