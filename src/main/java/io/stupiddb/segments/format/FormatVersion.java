package io.stupiddb.segments.format;

/** Versions of the segment file format this build reads and writes (see docs/FORMAT.md). */
public final class FormatVersion {
    /** The version new segments are written in. */
    public static final int CURRENT = 1;
    /** The oldest version this build still reads. */
    public static final int OLDEST_READABLE = 1;

    private FormatVersion() {}

    public static boolean isReadable(int version) {
        return version >= OLDEST_READABLE && version <= CURRENT;
    }
}
