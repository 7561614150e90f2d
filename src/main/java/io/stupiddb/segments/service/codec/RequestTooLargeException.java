package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.store.ConfigValues;

/** The request body is larger than its limit: {@code segments.max-request-size}, or a route's own (413). */
public final class RequestTooLargeException extends RuntimeException {
    private final long limit;

    /** Over {@code segments.max-request-size}. */
    public RequestTooLargeException(long limit) {
        this(limit, "segments.max-request-size");
    }

    /** Over the limit called {@code limitName} (a setting, or a route's fixed limit). */
    public RequestTooLargeException(long limit, String limitName) {
        super("request body is larger than " + limitName + " (" + ConfigValues.size(limit) + ")");
        this.limit = limit;
    }

    /** The maximum, in bytes. */
    public long limit() {
        return limit;
    }
}
