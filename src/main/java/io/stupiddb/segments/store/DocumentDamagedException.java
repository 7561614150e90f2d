package io.stupiddb.segments.store;

import java.util.UUID;

/**
 * The stored copy of a document is damaged: its record failed its checks, or its segment was
 * quarantined. The document was written and acknowledged, so this is never "not found"; the
 * loss is in the journal ({@code DOCUMENTS_DAMAGED} or {@code SEGMENT_QUARANTINED}).
 *
 * <p>The message carries the segment id and what failed, never a server path: it may leave the
 * server in an API answer.
 */
public final class DocumentDamagedException extends RuntimeException {
    private final UUID documentId;
    private final String segmentId;

    private DocumentDamagedException(UUID documentId, String segmentId, String message, Throwable cause) {
        super(message, cause);
        this.documentId = documentId;
        this.segmentId = segmentId;
    }

    /** The document's own record failed its checks; the rest of its segment is in service. */
    static DocumentDamagedException record(
            UUID documentId, String segmentId, long offset, String problem, Throwable cause) {
        return new DocumentDamagedException(
                documentId,
                segmentId,
                "the stored copy of document " + documentId + " in segment " + segmentId + " is damaged (at byte "
                        + offset + ": " + problem + "); the other documents of the segment are in service",
                cause);
    }

    /** The document's segment was taken out of service (its index, header or footer is damaged). */
    static DocumentDamagedException quarantined(UUID documentId, String segmentId, Throwable cause) {
        return new DocumentDamagedException(
                documentId,
                segmentId,
                "document " + documentId + " is in segment " + segmentId
                        + ", which is damaged and was quarantined (see readiness and the events)",
                cause);
    }

    /** Its record was damaged, and the segment was salvaged without it (the loss is journaled). */
    static DocumentDamagedException salvagedWithout(UUID documentId, String segmentId) {
        return new DocumentDamagedException(
                documentId,
                segmentId,
                "the stored copy of document " + documentId + " in segment " + segmentId
                        + " was damaged and could not be salvaged (see the DOCUMENTS_DAMAGED event)",
                null);
    }

    public UUID documentId() {
        return documentId;
    }

    public String segmentId() {
        return segmentId;
    }
}
