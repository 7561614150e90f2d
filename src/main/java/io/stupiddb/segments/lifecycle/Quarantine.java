package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Takes files that failed their checks out of service: moves them to {@code quarantine/} (named
 * {@code <file name>.<epoch ms>}, so nothing there is ever overwritten), journals
 * SEGMENT_QUARANTINED, counts them and lists them for readiness. A damaged active file is copied
 * there before recovery cuts it ({@link #preserveDamagedActive}).
 *
 * <p>Thread-safety: {@link #segment} takes the writer lock; the others run at start-up, before
 * the store is handed out. The list of quarantined files is safe to read from any thread.
 */
public final class Quarantine {
    private static final System.Logger LOG = System.getLogger(Quarantine.class.getName());

    private final Path quarantineDir;
    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final InstantSource clock;
    private final List<String> quarantined = new CopyOnWriteArrayList<>();

    public Quarantine(
            Path quarantineDir,
            LiveSegments live,
            LifecycleJournal journal,
            StoreCounters counters,
            InstantSource clock) {
        this.quarantineDir = quarantineDir;
        this.live = live;
        this.journal = journal;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * Takes a sealed or archived segment that failed a check during a read out of service: out
     * of the segment list, its file moved to {@code quarantine/} once its last reader has left.
     * Never throws; nothing happens when the segment is no longer listed.
     */
    public void segment(String segmentId, CorruptSegmentException cause) {
        live.writerLock().lock();
        try {
            Optional<SealedSegment> found = live.current().sealed(segmentId);
            if (found.isEmpty()) {
                return;
            }
            SealedSegment segment = found.get();
            SegmentInfo info = live.current().info(segment);
            live.publish(live.current().without(segmentId));
            Path file = segment.path();
            segment.close(() -> {
                try {
                    file(file, cause.getMessage(), Optional.of(info));
                } catch (IOException e) {
                    LOG.log(Level.ERROR, "could not quarantine " + file, e);
                }
            });
        } finally {
            live.writerLock().unlock();
        }
    }

    /** Moves {@code file} to {@code quarantine/}, journals and counts it; {@code info} when known. */
    public void file(Path file, String problem, Optional<SegmentInfo> info) throws IOException {
        Path target = target(file);
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(file.getParent());
        record(
                file,
                target,
                problem,
                info.map(SegmentInfo::minTimestamp).orElse(null),
                info.map(SegmentInfo::maxTimestamp).orElse(null),
                info.map(SegmentInfo::documents).orElse(0L));
        LOG.log(Level.ERROR, "quarantined {0}: {1}", file, problem);
    }

    /**
     * An active file with intact records after a bad one is damaged, not torn: before recovery
     * cuts it, a copy of the file as found goes to {@code quarantine/} (forced), and the damage
     * is journaled, counted and shown in readiness like a quarantined segment. The segment itself
     * stays, with the records before the damage. When the copy fails (a full disk), the start
     * fails rather than cut acknowledged records without a copy.
     */
    public void preserveDamagedActive(Path file, long offset, String problem, long intactAfter) throws IOException {
        Path target = target(file);
        try {
            Files.copy(file, target);
            try (FileChannel copy = FileChannel.open(target, StandardOpenOption.WRITE)) {
                copy.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw new IOException(
                    "active segment " + file + " is damaged at byte " + offset + " with " + intactAfter
                            + " intact records after it, and could not be copied to " + quarantineDir
                            + " before recovery cuts it (free space and restart): " + e.getMessage(),
                    e);
        }
        DurableFiles.syncDirectory(quarantineDir);
        String detail = "active segment damaged at byte " + offset + " (" + problem + "), " + intactAfter
                + " intact record(s) after it; the segment keeps the records before the damage, the file as found"
                + " is quarantine/" + target.getFileName();
        record(file, target, detail, null, null, intactAfter);
        LOG.log(Level.ERROR, "{0}: {1}", file, detail);
    }

    /** Files set aside since start-up, with the reason (readiness shows them). */
    public List<String> list() {
        return List.copyOf(quarantined);
    }

    private Path target(Path file) {
        return quarantineDir.resolve(file.getFileName() + "." + clock.millis());
    }

    /**
     * Journals SEGMENT_QUARANTINED for what {@code file} held (its segment id from the name,
     * "unknown" when the name is not one), counts it and lists it for readiness.
     */
    private void record(Path file, Path target, String detail, Long minTimestamp, Long maxTimestamp, long documents)
            throws IOException {
        String stem = SegmentFiles.stem(file);
        String segmentId = SegmentHeader.SEGMENT_ID.matcher(stem).matches() ? stem : "unknown";
        journal.append(LifecycleEvent.Draft.quarantined(segmentId, detail, minTimestamp, maxTimestamp, documents));
        quarantined.add(target.getFileName() + ": " + detail);
        counters.corrupt();
    }
}
