package io.stupiddb.segments.format;

import java.nio.file.Path;
import java.util.UUID;

/**
 * One record of a sealed segment failed its checks (checksum, fields, id, payload): exactly that
 * document is unreadable, while the segment's header, footer and index are sound, so every other
 * document of it stays in service. A {@link CorruptSegmentException} so that callers that treat
 * any damage alike (tools, full verification) need no second branch; callers that contain damage
 * catch this type first.
 *
 * <p>{@link #documentId()} comes from the index, whose checksum was verified, not from the
 * damaged record.
 */
public final class CorruptRecordException extends CorruptSegmentException {
    private final UUID documentId;

    public CorruptRecordException(Path path, long offset, String problem, UUID documentId) {
        super(path, offset, "record of document " + documentId + ": " + problem);
        this.documentId = documentId;
    }

    /** The document whose stored copy is damaged. */
    public UUID documentId() {
        return documentId;
    }
}
