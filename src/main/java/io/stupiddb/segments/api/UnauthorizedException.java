package io.stupiddb.segments.api;

/** Missing or wrong api key (401). */
public final class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
