package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Archives sealed segments older than {@code segments.archive-after} (by sealing time): rewrites
 * each at {@code segments.archive-compression-level} into the archive directory, then swaps the
 * archived copy in for the original. Our log cleaner.
 *
 * <p>Crash safety, step by step: the rewrite goes to {@code archive/tmp/<id>.active}, is sealed
 * there to {@code <id>.seg} (fsynced), renamed into the archive directory (fsync), journaled
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

    /**
     * @param after            archive sealed segments this old (empty: never)
     * @param dir              the archive directory
     * @param tmpDir           where rewrites are made before they are renamed into {@code dir}
     * @param compressionLevel zstd level of archived segments
     */
    public record Settings(Optional<Duration> after, Path dir, Path tmpDir, int compressionLevel) {}

    public Archiver(
            LiveSegments live,
            LifecycleJournal journal,
            Settings settings,
            InstantSource clock,
            DecompressionContexts contexts) {
        this.live = live;
        this.journal = journal;
        this.settings = settings;
        this.clock = clock;
        this.contexts = contexts;
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
            return false; // evicted while we copied
        }
        live.writerLock().lock();
        try {
            live.ensureOpen();
            if (live.current().sealed(segmentId).orElse(null) != original) {
                Files.deleteIfExists(tmp);
                return false;
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

    /** Copies every document into a new file at the archive level; returns the sealed temp file. */
    private Path rewrite(SealedSegment original) throws IOException {
        SegmentHeader old = original.header();
        SegmentHeader header = SegmentHeader.create(
                old.segmentId(),
                old.createdAtMillis(),
                Codec.ZSTD,
                settings.compressionLevel(),
                old.nodeId(),
                old.codec() == Codec.ZSTD ? old.dictionary() : null);
        InstantSource sealedAt =
                InstantSource.fixed(Instant.ofEpochMilli(original.footer().sealedAtMillis()));
        return TmpSegment.write(settings.tmpDir(), header, sealedAt, copy -> {
            try (DocumentCursor cursor = original.scan(ScanSpec.ALL)) {
                List<NewDocument> batch = new ArrayList<>(256);
                while (cursor.advance()) {
                    StoredDocument doc = cursor.document();
                    batch.add(new NewDocument(doc.id(), doc.timestamp(), doc.source()));
                    if (batch.size() == 256) {
                        copy.append(batch);
                        batch = new ArrayList<>(256);
                    }
                }
                copy.append(batch);
            }
        });
    }
}
