package io.stupiddb.segments.lifecycle;

/** No segment with this id in the store (404). */
public final class NoSuchSegmentException extends RuntimeException {
    public NoSuchSegmentException(String segmentId) {
        super("no segment " + segmentId);
    }
}
