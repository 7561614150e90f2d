package io.stupiddb.segments.api;

/** A query parameter or body field is out of its allowed range (400). */
public final class InvalidParameterException extends IllegalArgumentException {
    public InvalidParameterException(String message) {
        super(message);
    }
}
