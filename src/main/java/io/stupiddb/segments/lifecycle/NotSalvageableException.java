package io.stupiddb.segments.lifecycle;

/** A segment cannot be salvaged: no intact record is left, or its header (id, dictionary) is unreadable. */
public final class NotSalvageableException extends RuntimeException {
    public NotSalvageableException(String segmentId, String why) {
        super("segment " + segmentId + " cannot be salvaged: " + why);
    }
}
