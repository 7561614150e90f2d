package io.stupiddb.segments.lifecycle;

/** Why the active segment was sealed (the {@code reason} tag of {@code segment_store_rotations_total}). */
public enum RotationReason {
    AGE,
    SIZE,
    MANUAL,
    SHUTDOWN
}
