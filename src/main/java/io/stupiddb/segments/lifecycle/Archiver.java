package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Archives sealed segments older than {@code segments.archive-after} (by sealing time): rewrites
 * each at {@code segments.archive-compression-level} into the archive directory, then swaps the
 * archived copy in for the original. Our log cleaner.
 *
 * <p>The archived copy is format v2 (docs/FORMAT.md) whatever the original was, so archiving also
 * upgrades v1 files written by earlier builds.
 *
 * <p>Crash safety, step by step: the rewrite goes to {@code archive/tmp/<id>.seg} (fsynced), is renamed into the archive directory (fsync), journaled
 * SEGMENT_ARCHIVED, swapped into the segment list, and the original is retired like an evicted
 * segment. Start-up discards a half-done rewrite ({@code tmp/} is emptied) and finishes a done
 * one (an archived copy beside its original wins).
 *
 * <p>Thread-safety: the rewrite runs without the writer lock (it only reads the original); the
 * swap takes it. One archive pass at a time (the scheduler's job runs alone).
 */
public final class Archiver {
    private static final System.Logger LOG = System.getLogger(Archiver.class.getName());

    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final Settings settings;
    private final InstantSource clock;
    private final DecompressionContexts contexts;
    /** Where archived segments go instead of the archive directory (the object store), if set. */
    private final Optional<ColdTarget> cold;

    /**
     * @param after            archive sealed segments this old (empty: never)
     * @param dir              the archive directory
     * @param tmpDir           where rewrites are made before they are renamed into {@code dir}
     * @param compressionLevel zstd level of archived segments
     */
    public record Settings(
            Optional<Duration> after, Path dir, Path tmpDir, int compressionLevel, ColumnSettings columns) {}

    public Archiver(
            LiveSegments live,
            LifecycleJournal journal,
            Settings settings,
            InstantSource clock,
            DecompressionContexts contexts) {
        this(live, journal, settings, clock, contexts, Optional.empty());
    }

    /** An archiver that sends archived segments to {@code cold} when it is set (SPEC §10). */
    public Archiver(
            LiveSegments live,
            LifecycleJournal journal,
            Settings settings,
            InstantSource clock,
            DecompressionContexts contexts,
            Optional<ColdTarget> cold) {
        this.live = live;
        this.journal = journal;
        this.settings = settings;
        this.clock = clock;
        this.contexts = contexts;
        this.cold = cold;
    }

    /** Archives every sealed segment sealed longer than {@code segments.archive-after} ago; returns their ids. */
    public List<String> archiveDue() throws IOException {
        if (settings.after().isEmpty()) {
            return List.of();
        }
        long cutoff = clock.millis() - settings.after().get().toMillis();
        List<String> archived = new ArrayList<>();
        for (SealedSegment segment : live.current().sealed()) {
            if (segment.state() != SegmentState.SEALED || segment.footer().sealedAtMillis() > cutoff) {
                continue;
            }
            try {
                if (archive(segment.id())) {
                    archived.add(segment.id());
                }
            } catch (CorruptSegmentException e) {
                // A segment with damaged records stays sealed until it is salvaged; the others
                // (and the retention run after this) must not wait for it.
                LOG.log(Level.WARNING, "segment {0} not archived: {1}", segment.id(), e.getMessage());
            }
        }
        return archived;
    }

    /**
     * Archives one sealed segment. False when the segment is gone or already archived (or was
     * evicted while it was being rewritten).
     */
    public boolean archive(String segmentId) throws IOException {
        // A compaction may swap the segment's file while we copy it (same id, same documents):
        // then the copy is redone from the new file. Eviction ends the attempts.
        for (int attempt = 0; attempt < 3; attempt++) {
            live.ensureOpen();
            Optional<SealedSegment> found = live.current().sealed(segmentId);
            if (found.isEmpty() || found.get().state() != SegmentState.SEALED) {
                return false;
            }
            SealedSegment original = found.get();
            Path tmp;
            try {
                tmp = rewrite(original);
            } catch (SegmentClosedException e) {
                continue; // evicted or compacted while we copied: look again
            }
            if (cold.isPresent()) {
                if (toColdTarget(original, tmp, cold.get())) {
                    return true;
                }
                if (live.current().sealed(segmentId).orElse(null) == original) {
                    return false; // not replaced meanwhile: the upload failed (retried with backoff)
                }
                continue;
            }
            live.writerLock().lock();
            try {
                live.ensureOpen();
                if (live.current().sealed(segmentId).orElse(null) != original) {
                    Files.deleteIfExists(tmp);
                    continue;
                }
                Path target = settings.dir().resolve(segmentId + SegmentFiles.SEALED);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                DurableFiles.syncDirectory(settings.dir());
                SealedSegment archived = SealedSegment.open(target, SegmentState.ARCHIVED, contexts);
                SegmentInfo info = archived.info(null);
                journal.append(LifecycleEvent.Draft.archived(
                        segmentId, info.minTimestamp(), info.maxTimestamp(), info.documents()));
                live.publish(live.current().archived(archived, clock.millis()));
                Evictor.retire(original);
                return true;
            } finally {
                live.writerLock().unlock();
            }
        }
        return false;
    }

    /**
     * Uploads the rewrite (no lock held: the original stays readable), then, under the writer
     * lock, journals SEGMENT_ARCHIVED with the object's location, hands the segment to the cold
     * target and retires the original. A failed upload deletes the rewrite and keeps the original.
     */
    private boolean toColdTarget(SealedSegment original, Path tmp, ColdTarget target) throws IOException {
        SegmentInfo info = original.info(null);
        Optional<String> location = target.upload(info, tmp);
        boolean adopted = false;
        live.writerLock().lock();
        try {
            if (location.isPresent()
                    && !live.isClosed()
                    && live.current().sealed(original.id()).orElse(null) == original) {
                journal.append(LifecycleEvent.Draft.archivedTo(
                        original.id(), location.get(), info.minTimestamp(), info.maxTimestamp(), info.documents()));
                adopted = true; // journaled: the object is the segment now, never discard it
                live.publish(live.current().without(original.id()));
                target.adopt(info, location.get(), tmp);
                Evictor.retire(original);
            }
        } finally {
            live.writerLock().unlock();
            if (!adopted) {
                Files.deleteIfExists(tmp);
                // Uploaded, but evicted or closed meanwhile: the object must not show (outside the lock: a network
                // call).
                location.ifPresent(ignored -> target.discard(info));
            }
        }
        return adopted;
    }

    /**
     * Copies every document into a new format v2 file at the archive level; returns the temp file.
     * The records keep the original's dictionary when it has one (shared with its neighbours);
     * otherwise one is trained from the segment's own sample.
     */
    private Path rewrite(SealedSegment original) throws IOException {
        return SegmentRewriter.rewrite(
                        original,
                        settings.tmpDir(),
                        Codec.ZSTD,
                        settings.compressionLevel(),
                        settings.columns(),
                        id -> true)
                .file();
    }
}
