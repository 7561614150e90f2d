package io.stupiddb.segments.service;

/** The store is not open (recovering at start-up, or shutting down): 503 with Retry-After. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message);
    }
}
