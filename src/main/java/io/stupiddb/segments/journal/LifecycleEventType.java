package io.stupiddb.segments.journal;

/**
 * Segment transitions recorded in the {@link LifecycleJournal} (SPEC.md §5). The journal stores
 * each type as a fixed code (docs/JOURNAL.md), never by ordinal: add new types at the end and
 * give them a new code.
 */
public enum LifecycleEventType {
    /** The active segment was sealed: read-only from now on. */
    SEGMENT_SEALED,
    /** A sealed segment was recompressed and/or moved to the archive directory. */
    SEGMENT_ARCHIVED,
    /** A segment was deleted; the event carries an {@link EvictionReason}. */
    SEGMENT_EVICTED,
    /** A segment file failed its checks and was moved aside; it is never served again. */
    SEGMENT_QUARANTINED,
    /**
     * Documents of a segment were deleted by filter (SPEC §11): they are hidden at once; the
     * event carries their ids ({@link LifecycleEvent#ids()}, at most
     * {@link LifecycleEvent#MAX_IDS} per event) so downstream indexes drop them too.
     */
    DOCUMENTS_DELETED,
    /** A segment was rewritten without its deleted documents (same id); {@code documents} is what it keeps. */
    SEGMENT_REWRITTEN,
    /**
     * Records of a segment failed their checks: exactly those documents (the event's ids) are
     * unreadable; the rest of the segment stays in service.
     */
    DOCUMENTS_DAMAGED
}
