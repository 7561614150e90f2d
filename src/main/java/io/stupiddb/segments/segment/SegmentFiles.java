package io.stupiddb.segments.segment;

import java.nio.file.Path;

/**
 * File names in a data directory. A file's suffix is its state, so start-up can tell what was
 * going on when the process stopped (docs/FORMAT.md, "Files"):
 * <ul>
 *   <li>{@code <id>.active}: the segment being written; recovered and sealed at start-up;</li>
 *   <li>{@code <id>.seg}: sealed (or archived in place), complete with index and footer;</li>
 *   <li>{@code <id>.seg.deleted}: evicted, deleted once its last reader is gone; leftovers are deleted at start-up;</li>
 *   <li>{@code <id>.seg.tmp}: being written by archive; leftovers are deleted at start-up.</li>
 * </ul>
 */
public final class SegmentFiles {
    public static final String ACTIVE = ".active";
    public static final String SEALED = ".seg";
    public static final String DELETED = ".seg.deleted";
    public static final String TEMPORARY = ".seg.tmp";

    private SegmentFiles() {
    }

    public static Path active(Path dir, String segmentId) {
        return dir.resolve(segmentId + ACTIVE);
    }

    public static Path sealed(Path dir, String segmentId) {
        return dir.resolve(segmentId + SEALED);
    }

    public static Path deleted(Path dir, String segmentId) {
        return dir.resolve(segmentId + DELETED);
    }

    public static Path temporary(Path dir, String segmentId) {
        return dir.resolve(segmentId + TEMPORARY);
    }

    /** The segment id of a file name with the given suffix, or null when the name has another suffix. */
    public static String idOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
    }
}
