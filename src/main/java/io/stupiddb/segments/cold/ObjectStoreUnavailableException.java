package io.stupiddb.segments.cold;

import java.io.IOException;

/**
 * The object store did not answer, or answered with a server error, so a transfer did not happen:
 * worth retrying later (uploads back off; reads answer 503 with Retry-After). Never thrown for a
 * wrong answer (a missing object, a checksum mismatch).
 */
public final class ObjectStoreUnavailableException extends IOException {
    public ObjectStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
