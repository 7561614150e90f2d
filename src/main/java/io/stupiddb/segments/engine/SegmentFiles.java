package io.stupiddb.segments.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    /** Writes all of {@code buffer} at {@code position} (a positional write may write less than asked). */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** fsyncs a directory so that creates, renames and deletes in it survive a crash (Linux, macOS). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
