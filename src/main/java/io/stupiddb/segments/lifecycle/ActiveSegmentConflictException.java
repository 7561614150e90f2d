package io.stupiddb.segments.lifecycle;

/** The operation needs a sealed or archived segment, and this one is still being written (409). */
public final class ActiveSegmentConflictException extends RuntimeException {
    public ActiveSegmentConflictException(String segmentId) {
        super("segment " + segmentId + " is the active segment: rotate it first");
    }
}
