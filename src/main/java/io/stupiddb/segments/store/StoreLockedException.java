package io.stupiddb.segments.store;

import java.io.IOException;

/** Another process holds the data directory's lock: two stores must never share one directory. */
public final class StoreLockedException extends IOException {
    public StoreLockedException(String message) {
        super(message);
    }
}
