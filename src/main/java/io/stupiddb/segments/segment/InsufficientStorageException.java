package io.stupiddb.segments.segment;

import java.io.IOException;

/** Free disk in the data directory is below {@code segments.min-free-disk} (or the disk is full): writes wait, reads go on (507). */
public final class InsufficientStorageException extends IOException {
    public InsufficientStorageException(String message) {
        super(message);
    }

    public InsufficientStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
