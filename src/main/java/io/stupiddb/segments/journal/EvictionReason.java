package io.stupiddb.segments.journal;

/** Why a segment was evicted (the {@code reason} of a {@link LifecycleEventType#SEGMENT_EVICTED} event). */
public enum EvictionReason {
    /** Its newest document is older than {@code segments.retention}. */
    RETENTION,
    /** The store exceeded {@code segments.max-total-size}; oldest segments go first. */
    SIZE,
    /** An operator asked for it ({@code DELETE /segments/{id}}). */
    MANUAL
}
