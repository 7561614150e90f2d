package io.stupiddb.segments.format;

/**
 * Versions of the segment file format this build reads and writes (see docs/FORMAT.md).
 *
 * <p>Version 1 is the row layout (header, records, id index, footer): active segments are written
 * in it, and so is the first, fast seal of an active segment. Version 2 adds the column index
 * (per granule of rows: time range and columns of the hot fields) and is what the background
 * compaction and the archiver write. A v1 file with codec {@code none} is a segment waiting for
 * its compaction; v1 files written by earlier builds with codec {@code zstd} stay as they are
 * until they are archived.
 */
public final class FormatVersion {
    /** Row layout: records, id index, footer. */
    public static final int V1 = 1;
    /** V1 plus the column index between the id index and the footer. */
    public static final int V2 = 2;
    /** The newest version this build writes. */
    public static final int CURRENT = V2;
    /** The oldest version this build still reads. */
    public static final int OLDEST_READABLE = V1;

    private FormatVersion() {}

    public static boolean isReadable(int version) {
        return version >= OLDEST_READABLE && version <= CURRENT;
    }
}
