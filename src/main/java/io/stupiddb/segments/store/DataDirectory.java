package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.SegmentFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One data directory: where each kind of file lives, and the lock that makes it one store's.
 * This is the one place the layout is written down (docs/FORMAT.md "Files" shows the same):
 * <pre>
 * data-dir/
 *   .lock                   exclusive file lock: one store (or segment-tool repair) per directory
 *   &lt;id&gt;.active             the segment being written (at most one)
 *   &lt;id&gt;.seg                sealed segments
 *   &lt;id&gt;.seg.deleted        evicted, waiting for their last reader (deleted at start-up)
 *   tmp/                    a compaction in progress: &lt;id&gt;.seg in format v2 until it is renamed
 *                           over data-dir/&lt;id&gt;.seg (emptied at start-up)
 *   &lt;id&gt;.tomb               ids deleted by filter from that segment, not yet rewritten away
 *   rewrite/                a sealed segment being rewritten without them (emptied at start-up)
 *   journal/                lifecycle journal (docs/JOURNAL.md)
 *   quarantine/             files that failed their checks, as &lt;file name&gt;.&lt;epoch ms&gt;
 *   archive/                archived segments (&lt;id&gt;.seg, &lt;id&gt;.seg.deleted), unless
 *                           segments.archive-dir names another directory
 *     tmp/                  an archive rewrite in progress: &lt;id&gt;.active, then &lt;id&gt;.seg until
 *                           it is renamed into archive/ (emptied at start-up)
 *     rewrite/              an archived segment being rewritten without deleted documents
 * </pre>
 *
 * <p>Thread-safety: immutable after {@link #open}; {@link #close} once, by the store's close.
 */
public final class DataDirectory implements AutoCloseable {
    private final Path root;
    private final Path archive;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, Path archive, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.archive = archive;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directories that are missing and takes the lock.
     *
     * @throws StoreLockedException when another store (or this process) holds the directory
     */
    public static DataDirectory open(Path root, Path archive) throws IOException {
        Files.createDirectories(root);
        Files.createDirectories(archive.resolve("tmp"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("quarantine"));
        return locked(root, archive);
    }

    /**
     * Takes only the lock of an existing data directory, creating nothing but the lock file: for
     * tools that must never run beside a store.
     *
     * @throws StoreLockedException when a store (or this process) holds the directory
     */
    public static DataDirectory lockExisting(Path root) throws IOException {
        return locked(root, root.resolve("archive"));
    }

    private static DataDirectory locked(Path root, Path archive) throws IOException {
        FileChannel channel =
                FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new StoreLockedException("data directory " + root.toAbsolutePath()
                    + " is in use by another store (its .lock is held): one store per directory");
        }
        return new DataDirectory(root, archive, channel, lock);
    }

    public Path root() {
        return root;
    }

    public Path archive() {
        return archive;
    }

    /** Where a compaction writes the v2 file before it renames it over the sealed v1 file. */
    public Path compactionTmp() {
        return root.resolve("tmp");
    }

    /** Where an archive rewrite writes before it renames the result into {@link #archive()}. */
    public Path archiveTmp() {
        return archive.resolve("tmp");
    }

    public Path quarantine() {
        return root.resolve("quarantine");
    }

    public Path journal() {
        return journalOf(root);
    }

    /** The journal directory of a data directory. */
    public static Path journalOf(Path root) {
        return root.resolve("journal");
    }

    /** Deletes what interrupted evictions and archives left behind (start-up, before anything is opened). */
    public void deleteLeftovers() throws IOException {
        SegmentFiles.deleteMatching(root, SegmentFiles.DELETED);
        SegmentFiles.deleteMatching(archive, SegmentFiles.DELETED);
        SegmentFiles.deleteMatching(archiveTmp(), "");
        SegmentFiles.deleteMatching(compactionTmp(), "");
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
