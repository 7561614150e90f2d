package io.stupiddb.segments.segment;

/**
 * A read reached a segment that has been closed (sealed away, evicted, archived or shut down).
 * Callers that hold the store's current view retry against it; nothing is corrupt.
 */
public final class SegmentClosedException extends RuntimeException {
    private final String segmentId;

    public SegmentClosedException(String segmentId) {
        super("segment " + segmentId + " is closed");
        this.segmentId = segmentId;
    }

    public SegmentClosedException(String segmentId, Throwable cause) {
        this(segmentId);
        initCause(cause);
    }

    public String segmentId() {
        return segmentId;
    }
}
