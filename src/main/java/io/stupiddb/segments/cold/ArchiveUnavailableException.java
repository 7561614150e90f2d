package io.stupiddb.segments.cold;

/**
 * A read needs an archived segment that is not in the local cache and the object store does not
 * answer: the API answers 503 with Retry-After (scans: unless {@code partial=true}). Unchecked
 * because it also leaves scan cursors.
 */
public final class ArchiveUnavailableException extends RuntimeException {
    private final String segmentId;

    public ArchiveUnavailableException(String segmentId, ObjectStoreUnavailableException cause) {
        super("archived segment " + segmentId + " cannot be read now: " + cause.getMessage(), cause);
        this.segmentId = segmentId;
    }

    public String segmentId() {
        return segmentId;
    }
}
