package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.Tombstones;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Deletes the documents a scan matches (SPEC §11), in three steps: collect the matching ids per
 * segment (a scan, without any lock: writes and reads go on); record them in the segments'
 * {@link Tombstones} (fsynced; from here on they are hidden); journal DOCUMENTS_DELETED per
 * segment, at most {@link LifecycleEvent#MAX_IDS} ids an event, then mark the tombstones
 * journaled. Only then is the delete acknowledged. A crash after the tombstones and before the
 * journal: the documents stay deleted and {@link #journalUnjournaled} journals them at the next
 * start (downstream may see an id twice; removing it is idempotent).
 *
 * <p>Documents written after the scan passed their place are not deleted (the delete takes
 * effect at its scan). Thread-safe: concurrent deletes serialise on the tombstone file lock.
 */
final class DocumentDeleter {
    private final Function<ScanSpec, DocumentCursor> scanner;
    private final Tombstones tombstones;
    private final LifecycleJournal journal;
    private final AtomicLong deletedTotal = new AtomicLong();

    /** @param scanner the store's scan (which already hides deleted documents) */
    DocumentDeleter(Function<ScanSpec, DocumentCursor> scanner, Tombstones tombstones, LifecycleJournal journal) {
        this.scanner = scanner;
        this.tombstones = tombstones;
        this.journal = journal;
    }

    DeleteResult delete(ScanSpec spec) throws IOException {
        Map<String, List<UUID>> matched = new LinkedHashMap<>();
        try (DocumentCursor cursor = scanner.apply(spec)) {
            while (cursor.advance()) {
                matched.computeIfAbsent(cursor.segmentId(), s -> new ArrayList<>())
                        .add(cursor.id());
            }
        }
        List<DeleteResult.SegmentDeletion> segments = new ArrayList<>(matched.size());
        long deleted = 0;
        tombstones.fileLock().lock();
        try {
            // A concurrent delete may have taken some of them since our scan: each id is deleted (and journaled) once.
            matched.values().forEach(ids -> ids.removeIf(tombstones::isDeleted));
            matched.values().removeIf(List::isEmpty);
            tombstones.add(matched);
            for (Map.Entry<String, List<UUID>> entry : matched.entrySet()) {
                journal(entry.getKey(), entry.getValue());
                segments.add(new DeleteResult.SegmentDeletion(
                        entry.getKey(), entry.getValue().size()));
                deleted += entry.getValue().size();
            }
        } finally {
            tombstones.fileLock().unlock();
        }
        deletedTotal.addAndGet(deleted);
        return new DeleteResult(deleted, segments);
    }

    /** Journals what the tombstones recorded but a crash kept out of the journal. At start-up. */
    void journalUnjournaled() throws IOException {
        tombstones.fileLock().lock();
        try {
            for (Map.Entry<String, List<UUID>> entry : tombstones.unjournaled().entrySet()) {
                journal(entry.getKey(), entry.getValue());
            }
        } finally {
            tombstones.fileLock().unlock();
        }
    }

    /** Documents deleted since start-up ({@code segment_store_documents_deleted_total}). */
    long deletedTotal() {
        return deletedTotal.get();
    }

    private void journal(String segment, List<UUID> ids) throws IOException {
        for (int from = 0; from < ids.size(); from += LifecycleEvent.MAX_IDS) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + LifecycleEvent.MAX_IDS));
            journal.append(LifecycleEvent.Draft.documentsDeleted(segment, chunk));
        }
        tombstones.markJournaled(segment);
    }
}
