package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.store.ConfigValues;

/** The request body is larger than {@code segments.max-request-size} (413). */
public final class RequestTooLargeException extends RuntimeException {
    private final long limit;

    public RequestTooLargeException(long limit) {
        super("request body is larger than segments.max-request-size (" + ConfigValues.size(limit) + ")");
        this.limit = limit;
    }

    /** The configured maximum, in bytes. */
    public long limit() {
        return limit;
    }
}
