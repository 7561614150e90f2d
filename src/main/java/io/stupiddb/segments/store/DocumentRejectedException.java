package io.stupiddb.segments.store;

/**
 * A document of a batch broke a rule of SPEC §1; nothing of the batch was written. {@link #index()}
 * is its position in the batch.
 */
public final class DocumentRejectedException extends RuntimeException {
    /** What was wrong, which the API maps to a status. */
    public enum Kind {
        /** MessagePack encoding larger than {@code segments.max-document-size} (413). */
        TOO_LARGE,
        /** Timestamp older than now − retention: it would be evicted at once (422). */
        TIMESTAMP_TOO_OLD,
        /** Timestamp more than {@code segments.max-clock-skew} in the future (422). */
        TIMESTAMP_IN_FUTURE,
        /** Not a non-empty MessagePack map (400). */
        MALFORMED,
        /** Names a retention class that {@code segments.retention-classes} does not define (422). */
        UNKNOWN_RETENTION_CLASS
    }

    private final int index;
    private final Kind kind;

    private final String detail;

    public DocumentRejectedException(int index, Kind kind, String message) {
        super("document " + index + ": " + message);
        this.index = index;
        this.kind = kind;
        this.detail = message;
    }

    /** The same rejection for the document at {@code batchIndex} of the whole batch (of which this was a part). */
    public DocumentRejectedException at(int batchIndex) {
        return new DocumentRejectedException(batchIndex, kind, detail);
    }

    public int index() {
        return index;
    }

    public Kind kind() {
        return kind;
    }
}
