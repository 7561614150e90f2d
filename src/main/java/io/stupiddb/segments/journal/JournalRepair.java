package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.DurableFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Offline repair of a journal that refuses to open ({@code segment-tool journal-repair}, through
 * {@link LifecycleJournal#repair}): sets the damage aside so the journal opens again, never
 * reusing a seq that may have been acknowledged.
 *
 * <p>Each round opens the journal; when recovery names a damaged file, it moves that file and
 * every older one into {@code dir/corrupted-<millis>/} (kept for inspection, never read again)
 * and tries again, until the journal opens. A damaged high-water file is moved aside alone (the
 * journal files are checked without it). Every move is followed by forcing both directories, so
 * a crash leaves a state the next run continues from.
 *
 * <p>Thread-safety: not to be run while the journal is open, nor twice at once on one directory
 * (the tool holds the data directory's lock).
 */
final class JournalRepair {

    private static final System.Logger LOG = System.getLogger(LifecycleJournal.class.getName());

    private JournalRepair() {}

    /** See {@link LifecycleJournal#repair}. */
    static List<Path> repair(Path dir, InstantSource clock) throws IOException {
        List<Path> moved = new ArrayList<>();
        Path aside = dir.resolve("corrupted-" + clock.millis());
        while (true) {
            JournalCorruptedException damage;
            try (LifecycleJournal ignored = new LifecycleJournal(dir, clock)) {
                return moved;
            } catch (JournalCorruptedException e) {
                damage = e;
            }
            if (damage.path().getFileName().toString().equals(JournalHighWater.FILE_NAME)) {
                // Both slots damaged: the journal files themselves are checked without it.
                Files.createDirectories(aside);
                Path target = aside.resolve(JournalHighWater.FILE_NAME);
                Files.move(damage.path(), target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
                DurableFiles.syncDirectory(aside);
                DurableFiles.syncDirectory(dir);
                continue;
            }
            TreeMap<Long, Path> all = JournalDirectory.list(dir);
            long damagedSeq = JournalFile.firstSeqOf(damage.path().getFileName().toString())
                    .orElseThrow(() -> damage);
            if (damagedSeq == all.lastKey()) {
                // A record takes at least MIN_FRAME_BYTES, which bounds the seqs the file can hold;
                // the high-water seq bounds what was acknowledged, also from a file cut short.
                long capacity = Math.max(0, Files.size(damage.path()) - JournalCodec.HEADER_BYTES)
                        / JournalCodec.MIN_FRAME_BYTES;
                long acknowledged = JournalHighWater.read(dir).orElse(0);
                JournalDirectory.createFile(dir, Math.max(damagedSeq + capacity, acknowledged) + 1, false);
            }
            Files.createDirectories(aside);
            for (Path path : all.headMap(damagedSeq, true).values()) {
                Path target = aside.resolve(path.getFileName());
                Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
            }
            DurableFiles.syncDirectory(aside);
            DurableFiles.syncDirectory(dir);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "lifecycle journal: repaired {0}: moved {1} file(s) to {2} ({3})",
                    dir,
                    moved.size(),
                    aside,
                    damage.getMessage());
        }
    }
}
