package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.DurableFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The journal directory's files on disk: which names are journal files, how a new one is created
 * crash-safely, and what an interrupted creation leaves behind. The layout itself is drawn once,
 * on {@link LifecycleJournal} (and in docs/JOURNAL.md).
 *
 * <p>A file is created as {@code <name>.tmp}, its header forced, then renamed into place and the
 * directory forced: a file with a final name always has a complete header, and a {@code *.tmp}
 * file is only ever the leftover of a creation that did not finish.
 *
 * <p>Thread-safety: stateless; the caller makes sure no two threads create files in one
 * directory at once (the journal's append lock, or repair running while the journal is closed).
 */
final class JournalDirectory {

    private static final System.Logger LOG = System.getLogger(LifecycleJournal.class.getName());
    private static final String TEMP_SUFFIX = ".tmp";

    private JournalDirectory() {}

    /** The journal files of {@code dir} by first seq; other names (and non-regular files) are ignored. */
    static TreeMap<Long, Path> list(Path dir) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "journal-*.log")) {
            for (Path path : stream) {
                OptionalLong firstSeq =
                        JournalFile.firstSeqOf(path.getFileName().toString());
                if (firstSeq.isPresent() && Files.isRegularFile(path)) {
                    found.put(firstSeq.getAsLong(), path);
                }
            }
        }
        return found;
    }

    /** Deletes the {@code *.tmp} files an interrupted {@link #createFile} left in {@code dir}. */
    static void deleteLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "journal-*.log" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                LOG.log(System.Logger.Level.INFO, "lifecycle journal: deleting unfinished file {0}", leftover);
                Files.delete(leftover);
            }
        }
    }

    /**
     * Creates {@code journal-<firstSeq>.log} with its header, crash-safely (temp file, rename,
     * force dir). {@code afterCut} marks a file recovery started after cutting the previous
     * file's torn tail (its first seq skips the cut record's).
     */
    static JournalFile createFile(Path dir, long firstSeq, boolean afterCut) throws IOException {
        String name = JournalFile.fileName(firstSeq);
        Path target = dir.resolve(name);
        Path temp = dir.resolve(name + TEMP_SUFFIX);
        if (Files.exists(target)) {
            throw new IOException("journal file " + target + " already exists");
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            DurableFiles.writeFully(channel, JournalCodec.header(firstSeq, afterCut), 0);
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(dir);
        JournalFile file = new JournalFile(target, firstSeq);
        file.afterCut = afterCut;
        return file;
    }
}
