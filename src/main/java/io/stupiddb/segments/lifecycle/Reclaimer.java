package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentList;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives back the space of deleted documents (SPEC §11): rewrites each sealed or archived segment
 * with pending {@link Tombstones} without those documents, keeping its id, state, codec and
 * level; a segment left with no document is evicted instead. Deletions in the active segment
 * wait until it is sealed.
 *
 * <p>Crash safety, step by step (as {@link Archiver}): the copy is written to
 * {@code <dir>/rewrite/<id>.active}, sealed there to {@code <id>.seg} (fsynced), renamed over the
 * original (atomic: the path always holds a complete segment, old or new), the directory fsynced,
 * SEGMENT_REWRITTEN journaled, the new file swapped into the segment list, the tombstone file
 * trimmed, and the old mapping closed once its last reader has left. A crash before the rename
 * leaves the original and its tombstones (the temp directory is emptied at start-up and by the
 * next rewrite); a crash after it leaves tombstones of documents that are gone, which hide
 * nothing and are trimmed by the next pass (without a second SEGMENT_REWRITTEN).
 *
 * <p>Thread-safety: the copy runs without the writer lock (reads and writes go on); the swap
 * holds the writer lock, then the tombstone file lock (the order every caller keeps). One pass
 * at a time ({@link #reclaim} is synchronized).
 */
public final class Reclaimer {
    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final Tombstones tombstones;
    private final Evictor evictor;
    private final Path sealedTmp;
    private final Path archivedTmp;
    private final DecompressionContexts contexts;
    private final AtomicLong rewrites = new AtomicLong();
    private final AtomicLong reclaimedDocuments = new AtomicLong();
    private volatile Optional<String> rewriting = Optional.empty();

    /**
     * @param sealedTmp   where sealed segments are rewritten (same file system as they are)
     * @param archivedTmp where archived segments are rewritten (same file system as the archive)
     * @param contexts    the store's zstd contexts, for the rewritten segments' reads
     */
    /** The column index of rewritten segments. */
    private final ColumnSettings columns;
    /** The store's compression, for segments rewritten before their compaction. */
    private final Codec compression;

    private final int compressionLevel;

    public Reclaimer(
            LiveSegments live,
            LifecycleJournal journal,
            Tombstones tombstones,
            Evictor evictor,
            Path sealedTmp,
            Path archivedTmp,
            DecompressionContexts contexts,
            ColumnSettings columns,
            Codec compression,
            int compressionLevel)
            throws IOException {
        this.columns = columns;
        this.compression = compression;
        this.compressionLevel = compressionLevel;
        this.live = live;
        this.journal = journal;
        this.tombstones = tombstones;
        this.evictor = evictor;
        this.contexts = contexts;
        this.sealedTmp = emptied(sealedTmp);
        this.archivedTmp = emptied(archivedTmp);
    }

    /** Creates {@code dir}, or empties it of a rewrite a crash interrupted (constructed at start-up). */
    private static Path emptied(Path dir) throws IOException {
        Files.createDirectories(dir);
        SegmentFiles.deleteMatching(dir, "");
        return dir;
    }

    /**
     * Rewrites every sealed or archived segment with pending deletions, oldest first, and drops
     * the tombstones of segments that are gone. Returns the ids of the segments rewritten (or
     * evicted because nothing was left).
     */
    public synchronized List<String> reclaim() throws IOException {
        List<String> done = new ArrayList<>();
        for (String segmentId : new TreeSet<>(tombstones.pendingCounts().keySet())) {
            live.ensureOpen();
            Optional<SealedSegment> found = live.current().sealed(segmentId);
            if (found.isEmpty()) {
                dropIfGone(segmentId);
                continue;
            }
            rewriting = Optional.of(segmentId);
            try {
                // A compaction may swap the segment's file while we copy it (same id and documents):
                // then the rewrite is redone from the new file at once.
                for (int attempt = 0; attempt < 3 && found.isPresent(); attempt++) {
                    SealedSegment original = found.get();
                    try {
                        if (rewrite(original)) {
                            done.add(segmentId);
                            break;
                        }
                    } catch (SegmentClosedException e) {
                        // evicted, archived or compacted while we copied: look again below
                    }
                    found = live.current().sealed(segmentId).filter(now -> now != original);
                }
            } finally {
                rewriting = Optional.empty();
            }
        }
        return done;
    }

    /** The segment being rewritten now, if any (GET /segments/{id} shows it). */
    public Optional<String> rewriting() {
        return rewriting;
    }

    /** Segments rewritten (or evicted as emptied) since start-up. */
    public long rewrites() {
        return rewrites.get();
    }

    /** Deleted documents whose space came back since start-up. */
    public long reclaimedDocuments() {
        return reclaimedDocuments.get();
    }

    private void dropIfGone(String segmentId) throws IOException {
        live.writerLock().lock();
        tombstones.fileLock().lock();
        try {
            SegmentList now = live.current();
            if (now.sealed(segmentId).isEmpty() && !now.isActive(segmentId)) {
                tombstones.dropped(segmentId); // evicted: its documents went with it
            }
        } finally {
            tombstones.fileLock().unlock();
            live.writerLock().unlock();
        }
    }

    private boolean rewrite(SealedSegment original) throws IOException {
        Set<UUID> removed = tombstones.pending(original.id());
        Path tmpDir = original.state() == SegmentState.ARCHIVED ? archivedTmp : sealedTmp;
        SegmentRewriter.Result copy = SegmentRewriter.rewrite(
                original,
                tmpDir,
                // A segment still waiting for its compaction gets the store's compression now (the
                // compaction then finds it done); others keep theirs (e.g. the archive level).
                Compactor.needsCompaction(original)
                        ? compression
                        : original.header().codec(),
                Compactor.needsCompaction(original)
                        ? compressionLevel
                        : original.header().level(),
                columns,
                id -> !removed.contains(id));
        live.writerLock().lock();
        tombstones.fileLock().lock();
        try {
            live.ensureOpen();
            if (live.current().sealed(original.id()).orElse(null) != original) {
                Files.deleteIfExists(copy.file());
                return false; // archived, evicted or quarantined meanwhile: the next pass looks again
            }
            if (copy.after() == copy.before()) {
                Files.deleteIfExists(copy.file());
                tombstones.rewritten(original.id(), removed); // already rewritten before a crash
                return false;
            }
            if (copy.after() == 0) {
                SegmentInfo info = live.current().info(original);
                journal.append(LifecycleEvent.Draft.rewritten(
                        original.id(), info.minTimestamp(), info.maxTimestamp(), copy.before(), 0));
                evictor.evict(original.id(), EvictionReason.MANUAL);
                tombstones.dropped(original.id());
            } else {
                swap(original, copy);
                tombstones.rewritten(original.id(), removed);
            }
            rewrites.incrementAndGet();
            reclaimedDocuments.addAndGet(copy.before() - copy.after());
            return true;
        } finally {
            tombstones.fileLock().unlock();
            live.writerLock().unlock();
        }
    }

    /** Renames the copy over the original, journals, publishes it; the old mapping goes after its last reader. */
    private void swap(SealedSegment original, SegmentRewriter.Result copy) throws IOException {
        Path target = original.path();
        Files.move(copy.file(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(target.getParent());
        SealedSegment replacement = SealedSegment.open(target, original.state(), contexts);
        SegmentList now = live.current();
        SegmentInfo info = replacement.info(null);
        journal.append(LifecycleEvent.Draft.rewritten(
                original.id(), info.minTimestamp(), info.maxTimestamp(), copy.before(), copy.after()));
        live.publish(new SegmentList(
                now.sealed().stream().map(s -> s == original ? replacement : s).toList(),
                now.active(),
                now.archivedAt()));
        original.close(); // readers inside finish on the old mapping; the unlinked file goes with it
    }
}
