package io.stupiddb.segments.journal;

import java.util.Collection;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The retained journal files in memory, by first seq, oldest first; the last one is the active
 * file. Shared by the {@link JournalAppender} (the only writer) and the {@link JournalReader}.
 *
 * <p>Invariants: never empty; the files hold contiguous seqs (a file recovery started after a
 * cut tail skips exactly one); only the last file grows.
 *
 * <p>Thread-safety: {@code fileListLock} guards the map and the mutable state of every
 * {@link JournalFile} in it. It is held only for memory updates and snapshots, never for I/O, so
 * readers plan beside an appender and then read on their own channels. Changes come only from
 * the append lock's holder, which may therefore look at the map without taking the read side.
 */
final class JournalFileList {

    private final ReentrantReadWriteLock fileListLock = new ReentrantReadWriteLock();
    private final TreeMap<Long, JournalFile> files;

    /** Takes over {@code recovered} (non-empty), which nobody else may hold on to. */
    JournalFileList(TreeMap<Long, JournalFile> recovered) {
        if (recovered.isEmpty()) {
            throw new IllegalArgumentException("a journal always has an active file");
        }
        this.files = recovered;
    }

    /**
     * Runs {@code snapshot} over the files under the read lock and returns what it made of them;
     * it must copy what it needs (no I/O, no reference to the map kept). Thread-safe.
     */
    <T> T read(Function<NavigableMap<Long, JournalFile>, T> snapshot) {
        fileListLock.readLock().lock();
        try {
            return snapshot.apply(files);
        } finally {
            fileListLock.readLock().unlock();
        }
    }

    /** The oldest seq still on record (the active file's first seq once every older file is gone). Thread-safe. */
    long firstRetainedSeq() {
        return read(NavigableMap::firstKey);
    }

    /** The newest file, the one appended to. Caller holds the append lock. */
    JournalFile active() {
        return files.lastEntry().getValue();
    }

    /** The files oldest first, as they are now. Caller holds the append lock. */
    Collection<JournalFile> oldestFirst() {
        return files.values();
    }

    /** Adds a new active file. Caller holds the append lock. */
    void add(JournalFile file) {
        fileListLock.writeLock().lock();
        try {
            files.put(file.firstSeq, file);
        } finally {
            fileListLock.writeLock().unlock();
        }
    }

    /** Records a forced record in {@code file} (see {@link JournalFile#committed}). Caller holds the append lock. */
    void committed(JournalFile file, long seq, long offset, long endOffset, long atMillis) {
        fileListLock.writeLock().lock();
        try {
            file.committed(seq, offset, endOffset, atMillis);
        } finally {
            fileListLock.writeLock().unlock();
        }
    }

    /** Forgets {@code expired} (before their files are deleted). Caller holds the append lock. */
    void removeAll(Collection<JournalFile> expired) {
        fileListLock.writeLock().lock();
        try {
            for (JournalFile file : expired) {
                files.remove(file.firstSeq);
            }
        } finally {
            fileListLock.writeLock().unlock();
        }
    }
}
