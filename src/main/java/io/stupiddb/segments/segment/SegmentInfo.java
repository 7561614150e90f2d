package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.id.DocumentIds;

import java.util.UUID;

/**
 * What the store knows about one segment without reading its records. Timestamps and ids are
 * null while the segment holds no document; {@code sealedAt}/{@code archivedAt} null until then.
 * {@code format} is the file's format version: 1 while active and until the compaction rewrote
 * the sealed file, 2 after (docs/FORMAT.md).
 */
public record SegmentInfo(
        String id,
        SegmentState state,
        long createdAt,
        Long sealedAt,
        Long archivedAt,
        Long minTimestamp,
        Long maxTimestamp,
        UUID minId,
        UUID maxId,
        long documents,
        long sizeBytes,
        Codec codec,
        int level,
        int format) {

    /** Unsigned id comparison: whether this segment may hold {@code id}. */
    public boolean mayContain(UUID id) {
        return minId != null && DocumentIds.compare(minId, id) <= 0 && DocumentIds.compare(id, maxId) <= 0;
    }
}
