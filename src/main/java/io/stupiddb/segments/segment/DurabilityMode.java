package io.stupiddb.segments.segment;

import java.util.Locale;

/** When appended records are forced to stable storage ({@code segments.fsync}). */
public enum DurabilityMode {
    /** A batch is acknowledged only after fsync; concurrent batches share one fsync (group commit). */
    ALWAYS,
    /** Acknowledged after the write; fsync every {@code segments.fsync-interval}: a crash may lose that much. */
    INTERVAL,
    /** Never fsync while writing (only at seal): a crash may lose what the OS had not written back. */
    NEVER;

    public static DurabilityMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fsync mode '" + text + "': use always, interval or never", e);
        }
    }
}
