package io.stupiddb.segments.store;

import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.BackgroundThreads;
import io.stupiddb.segments.lifecycle.Evictor;
import io.stupiddb.segments.lifecycle.Reclaimer;
import io.stupiddb.segments.lifecycle.Tombstones;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentList;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Deletes by filter for one store (SPEC §11): the {@link Tombstones} reads consult, the
 * {@link DocumentDeleter} and the background {@link Reclaimer}, which runs right after each
 * delete and every {@value #RECLAIM_INTERVAL_SECONDS} s (to pick up segments sealed since), on its
 * own thread so a long rewrite delays neither writes nor the store's other background work.
 *
 * <p>Layout: {@code <data>/<segment-id>.tomb} (see {@link Tombstones}); rewrites in
 * {@code <data>/rewrite/} and {@code <archive>/rewrite/}, emptied at start-up.
 *
 * <p>Thread-safety: {@link #isDeleted} and {@link #hiding} are lock-free; deletes and rewrites
 * are serialised as {@link DocumentDeleter} and {@link Reclaimer} say.
 */
final class StoreDeletes implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StoreDeletes.class.getName());
    static final long RECLAIM_INTERVAL_SECONDS = 10;

    private final Tombstones tombstones;
    private final DocumentDeleter deleter;
    private final Reclaimer reclaimer;
    private final LiveSegments live;
    private final ScheduledExecutorService reclaiming =
            Executors.newSingleThreadScheduledExecutor(BackgroundThreads.factory("segment-store-reclaim"));

    private StoreDeletes(Tombstones tombstones, DocumentDeleter deleter, Reclaimer reclaimer, LiveSegments live) {
        this.tombstones = tombstones;
        this.deleter = deleter;
        this.reclaimer = reclaimer;
        this.live = live;
    }

    /**
     * Loads the tombstones of the recovered {@code segments} (dropping those of segments that are
     * gone), journals what a crash kept out of the journal, starts the reclaimer. At start-up.
     *
     * @param config  the store's settings (compression and columns of rewritten segments)
     * @param scanner the store's scan, which hides deleted documents
     */
    static StoreDeletes open(
            DataDirectory dir,
            SegmentList segments,
            LiveSegments live,
            LifecycleJournal journal,
            Evictor evictor,
            DecompressionContexts contexts,
            StoreConfig config,
            Function<ScanSpec, DocumentCursor> scanner)
            throws IOException {
        Set<String> present = new HashSet<>();
        segments.sealed().forEach(s -> present.add(s.id()));
        segments.active().ifPresent(a -> present.add(a.id()));
        Tombstones tombstones = Tombstones.load(dir.root(), present);
        DocumentDeleter deleter = new DocumentDeleter(scanner, tombstones, journal);
        deleter.journalUnjournaled();
        Reclaimer reclaimer = new Reclaimer(
                live,
                journal,
                tombstones,
                evictor,
                dir.root().resolve("rewrite"),
                dir.archive().resolve("rewrite"),
                contexts,
                config.columns(),
                config.compression(),
                config.compressionLevel());
        StoreDeletes deletes = new StoreDeletes(tombstones, deleter, reclaimer, live);
        deletes.reclaiming.scheduleWithFixedDelay(
                deletes::reclaimQuietly, RECLAIM_INTERVAL_SECONDS, RECLAIM_INTERVAL_SECONDS, TimeUnit.SECONDS);
        return deletes;
    }

    boolean isDeleted(UUID id) {
        return tombstones.isDeleted(id);
    }

    /** {@code cursor} without the deleted documents. */
    DocumentCursor hiding(DocumentCursor cursor) {
        return new HidingCursor(cursor, tombstones);
    }

    /** Deletes what {@code spec} matches (see {@link DocumentDeleter}) and wakes the reclaimer. */
    DeleteResult delete(ScanSpec spec) throws IOException {
        DeleteResult result = deleter.delete(spec);
        if (result.deleted() > 0) {
            reclaiming.execute(this::reclaimQuietly);
        }
        return result;
    }

    /** Rewrites now (in the caller's thread) what has deleted documents; returns the segment ids. */
    List<String> reclaim() throws IOException {
        return reclaimer.reclaim();
    }

    DeleteProgress progress() {
        return new DeleteProgress(
                tombstones.pendingCounts(),
                reclaimer.rewriting(),
                deleter.deletedTotal(),
                reclaimer.rewrites(),
                reclaimer.reclaimedDocuments());
    }

    private void reclaimQuietly() {
        if (live.isClosed()) {
            return;
        }
        try {
            reclaimer.reclaim();
        } catch (IOException | RuntimeException e) {
            if (live.isClosed()) {
                return; // closed under a rewrite: the next start rewrites it
            }
            LOG.log(
                    Level.WARNING,
                    "rewriting segments without their deleted documents failed; retried in " + RECLAIM_INTERVAL_SECONDS
                            + " s",
                    e);
        }
    }

    /** Stops the reclaimer, waiting (bounded) for a rewrite in progress. Before the segments close. */
    @Override
    public void close() {
        reclaiming.shutdown();
        try {
            reclaiming.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
