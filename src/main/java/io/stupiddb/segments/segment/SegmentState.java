package io.stupiddb.segments.segment;

/** Where a segment is in its life: Active → Sealed → Archived (optional) → evicted (gone). */
public enum SegmentState {
    ACTIVE,
    SEALED,
    ARCHIVED
}
