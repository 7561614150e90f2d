package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.id.SegmentId;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Takes files that failed their checks out of service: moves them to {@code quarantine/} (named
 * {@code <file name>.<epoch ms>}, so nothing there is ever overwritten), journals
 * SEGMENT_QUARANTINED, counts them and lists them for readiness. A damaged active file is copied
 * there before recovery cuts it ({@link #preserveDamagedActive}).
 *
 * <p>The id range of each quarantined segment whose footer was readable is kept ({@link
 * #holding}), also across restarts ({@link #rememberFilesOnDisk}), so a get of one of its
 * documents answers "damaged", never "not found".
 *
 * <p>Thread-safety: {@link #segment} takes the writer lock; the others run at start-up, before
 * the store is handed out. The lists of quarantined files and ranges are safe to read from any
 * thread.
 */
public final class Quarantine {
    private static final System.Logger LOG = System.getLogger(Quarantine.class.getName());

    private final Path quarantineDir;
    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final InstantSource clock;
    private final List<String> quarantined = new CopyOnWriteArrayList<>();
    private final List<QuarantinedRange> ranges = new CopyOnWriteArrayList<>();
    /** Quarantined segments whose id range could not be read (header or footer damaged). */
    private final java.util.Set<String> unknownRanges = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The documents a quarantined segment held: {@code minId..maxId}, both inclusive. */
    public record QuarantinedRange(String segmentId, UUID minId, UUID maxId) {
        boolean holds(UUID id) {
            return DocumentIds.compare(minId, id) <= 0 && DocumentIds.compare(id, maxId) <= 0;
        }
    }

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
            if (info.minId() != null && info.maxId() != null) {
                // Before the segment leaves the list: no get may find neither.
                ranges.add(new QuarantinedRange(segmentId, info.minId(), info.maxId()));
            }
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
        if (info.isEmpty()) {
            SegmentFiles.idOf(file, SegmentFiles.SEALED)
                    .or(() -> SegmentFiles.idOf(file, SegmentFiles.ACTIVE))
                    .ifPresent(unknownRanges::add);
        }
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

    /**
     * Start-up: remembers the id ranges of the sealed segment files already in {@code quarantine/}
     * whose header and footer can still be read (a damaged index or records); the others are
     * skipped. Nothing is journaled or counted again.
     */
    public void rememberFilesOnDisk() throws IOException {
        if (!Files.isDirectory(quarantineDir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(quarantineDir)) {
            files = listing.filter(p -> p.getFileName().toString().contains(SegmentFiles.SEALED + "."))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            try (SealedSegment segment = SealedSegment.open(file, SegmentState.SEALED)) {
                if (segment.footer().documents() > 0) {
                    ranges.add(new QuarantinedRange(
                            segment.id(),
                            segment.footer().minId(),
                            segment.footer().maxId()));
                }
            } catch (CorruptSegmentException | IOException e) {
                LOG.log(Level.WARNING, "quarantined file {0}: its id range is unknown ({1})", file, e.getMessage());
                String name = file.getFileName().toString();
                unknownRanges.add(name.substring(0, name.indexOf(SegmentFiles.SEALED + ".")));
            }
        }
    }

    /** Forgets the id range of {@code segmentId}: it is back in service (salvaged). */
    public void released(String segmentId) {
        ranges.removeIf(r -> r.segmentId().equals(segmentId));
        unknownRanges.remove(segmentId);
    }

    /** The newest copy of {@code segmentId} in {@code quarantine/} ({@code <id>.seg.<ms>} or {@code <id>.active.<ms>}). */
    public Optional<Path> newestCopy(String segmentId) throws IOException {
        if (!Files.isDirectory(quarantineDir)) {
            return Optional.empty();
        }
        try (Stream<Path> listing = Files.list(quarantineDir)) {
            return listing.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.startsWith(segmentId + SegmentFiles.SEALED + ".")
                                || name.startsWith(segmentId + SegmentFiles.ACTIVE + ".");
                    })
                    .max(java.util.Comparator.comparingLong(Quarantine::setAsideAt));
        }
    }

    private static long setAsideAt(Path copy) {
        String name = copy.getFileName().toString();
        try {
            return Long.parseLong(name.substring(name.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The quarantined segment whose id range holds {@code id}, if any. */
    public Optional<QuarantinedRange> holding(UUID id) {
        return ranges.stream().filter(r -> r.holds(id)).findFirst();
    }

    /**
     * The quarantined segment whose id range is unknown (its header or footer unreadable) that may
     * have held {@code id}: segment numbers and ids increase together, so its documents lie between
     * the newest id of the segments created before it and the oldest of those created after it
     * ({@code segments}: the ones in service). An id in that gap that was never written is named
     * too: the gap is all that is known.
     */
    public Optional<String> unknownRangeHolding(UUID id, List<SegmentInfo> segments) {
        for (String unknown : unknownRanges) {
            long number = SegmentId.numberOf(unknown);
            UUID below = null;
            UUID above = null;
            List<QuarantinedRange> known = new ArrayList<>(ranges);
            for (SegmentInfo info : segments) {
                if (info.minId() != null) {
                    known.add(new QuarantinedRange(info.id(), info.minId(), info.maxId()));
                }
            }
            for (QuarantinedRange range : known) {
                long other = SegmentId.numberOf(range.segmentId());
                if (other < number && (below == null || DocumentIds.compare(range.maxId(), below) > 0)) {
                    below = range.maxId();
                } else if (other > number && (above == null || DocumentIds.compare(range.minId(), above) < 0)) {
                    above = range.minId();
                }
            }
            if ((below == null || DocumentIds.compare(id, below) > 0)
                    && (above == null || DocumentIds.compare(id, above) < 0)) {
                return Optional.of(unknown);
            }
        }
        return Optional.empty();
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
