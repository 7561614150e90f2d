package io.stupiddb.segments.store;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.id.SegmentId;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.Quarantine;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.ActiveSegmentRecovery;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentList;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Start-up recovery of a locked data directory whose leftovers are deleted (passes 1-3 are in
 * {@link SegmentStore#open}), in passes:
 * <ol start="4">
 *   <li>read what the journal says was evicted, archived, sealed, and finish evictions and
 *       archives the journal recorded but the files do not show yet;</li>
 *   <li>open archived and sealed segments (header and footer only), quarantining bad ones;</li>
 *   <li>recover active files: cut torn tails, seal (empty ones are deleted);</li>
 *   <li>journal the transitions a crash kept out of the journal; find the id floor, the highest
 *       segment number and the newest dictionary.</li>
 * </ol>
 * Its cost grows with the number of segments, not documents. Runs once, before the store is
 * handed out (single-threaded).
 */
final class StoreLoader {
    private static final System.Logger LOG = System.getLogger(StoreLoader.class.getName());

    private final DataDirectory dir;
    private final LifecycleJournal journal;
    private final Quarantine quarantine;
    private final StoreConfig config;
    private final InstantSource clock;
    private final DecompressionContexts contexts;

    /**
     * What recovery found.
     *
     * @param segments      the segments to serve
     * @param idFloor       the largest document id held (new ids must be larger); empty for an empty store
     * @param segmentNumber the largest segment number seen in files or the journal
     * @param dictionary    the newest segment's dictionary, with its segment's creation time
     */
    record Loaded(SegmentList segments, Optional<UUID> idFloor, long segmentNumber, Optional<Dictionary> dictionary) {}

    record Dictionary(byte[] bytes, long trainedAtMillis) {}

    /** What recovery of one active file left: a sealed segment, the segment still active, or nothing to keep. */
    private sealed interface ActiveOutcome {
        record Sealed(SealedSegment segment) implements ActiveOutcome {}

        record StillActive(ActiveSegment segment) implements ActiveOutcome {}

        record Nothing() implements ActiveOutcome {}
    }

    StoreLoader(
            DataDirectory dir,
            LifecycleJournal journal,
            Quarantine quarantine,
            StoreConfig config,
            InstantSource clock,
            DecompressionContexts contexts) {
        this.dir = dir;
        this.journal = journal;
        this.quarantine = quarantine;
        this.config = config;
        this.clock = clock;
        this.contexts = contexts;
    }

    Loaded load() throws IOException {
        JournalSummary history = JournalSummary.read(journal);
        List<SealedSegment> segments = new ArrayList<>();
        Map<String, SealedSegment> present = new HashMap<>();
        Map<String, Long> archivedAt = new HashMap<>();
        // Passes 4 and 5: archived segments first (they win over a leftover original).
        for (Path file : SegmentFiles.list(dir.archive(), SegmentFiles.SEALED)) {
            String id = SegmentFiles.idOf(file, SegmentFiles.SEALED).orElseThrow();
            if (history.evicted().contains(id)) {
                Files.deleteIfExists(file);
                continue;
            }
            Optional<SealedSegment> segment = openOrQuarantine(file, SegmentState.ARCHIVED);
            if (segment.isPresent()) {
                segments.add(segment.get());
                present.put(id, segment.get());
                archivedAt.put(id, Files.getLastModifiedTime(file).toMillis());
            }
        }
        for (Path file : SegmentFiles.list(dir.root(), SegmentFiles.SEALED)) {
            String id = SegmentFiles.idOf(file, SegmentFiles.SEALED).orElseThrow();
            if (history.evicted().contains(id)) {
                Files.deleteIfExists(file); // the eviction was journaled; finish it
                continue;
            }
            if (present.containsKey(id)) {
                // Archived copy complete (renamed into place); make sure the journal says so, drop the original.
                if (!history.archived().contains(id)) {
                    SegmentInfo info = present.get(id).info(null);
                    journal.append(LifecycleEvent.Draft.archived(
                            id, info.minTimestamp(), info.maxTimestamp(), info.documents()));
                }
                Files.deleteIfExists(file);
                continue;
            }
            Optional<SealedSegment> segment = openOrQuarantine(file, SegmentState.SEALED);
            if (segment.isPresent()) {
                segments.add(segment.get());
                present.put(id, segment.get());
            }
        }
        // Pass 6: active files.
        Optional<ActiveSegment> adopted = Optional.empty();
        for (Path file : SegmentFiles.list(dir.root(), SegmentFiles.ACTIVE)) {
            switch (recoverActive(file)) {
                case ActiveOutcome.Sealed done -> segments.add(done.segment());
                case ActiveOutcome.StillActive still -> {
                    // Several active files and no space: serve the newest, the rest next start.
                    adopted.ifPresent(ActiveSegment::close);
                    adopted = Optional.of(still.segment());
                }
                case ActiveOutcome.Nothing nothing -> {}
            }
        }
        SegmentList list = SegmentList.recovered(segments, adopted, archivedAt);
        // Pass 7: transitions a crash kept out of the journal, the id floor, the number, the dictionary.
        journalMissingSeals(list, history);
        return summarise(list, history.highestSegmentNumber());
    }

    private void journalMissingSeals(SegmentList list, JournalSummary history) {
        for (SealedSegment segment : list.sealed()) {
            if (!history.sealed().contains(segment.id())) {
                SegmentInfo info = segment.info(null);
                try {
                    journal.append(LifecycleEvent.Draft.sealed(
                            segment.id(), info.minTimestamp(), info.maxTimestamp(), info.documents()));
                } catch (IOException e) {
                    // No space for the catch-up event: start anyway; the next start journals it (derived from the
                    // files).
                    LOG.log(Level.WARNING, "could not journal SEGMENT_SEALED for " + segment.id() + " at start-up", e);
                }
            }
        }
    }

    private static Loaded summarise(SegmentList list, long journalNumber) {
        UUID floor = null;
        Dictionary dictionary = null;
        long number = journalNumber;
        for (SealedSegment segment : list.sealed()) {
            if (floor == null || DocumentIds.compare(segment.footer().maxId(), floor) > 0) {
                floor = segment.footer().maxId();
            }
            number = Math.max(number, SegmentId.numberOf(segment.id()));
            if (segment.header().hasDictionary()) {
                dictionary = new Dictionary(
                        segment.header().dictionary(), segment.header().createdAtMillis());
            }
        }
        if (list.active().isPresent()) {
            SegmentInfo info = list.active().get().info();
            if (floor == null || DocumentIds.compare(info.maxId(), floor) > 0) {
                floor = info.maxId();
            }
            number = Math.max(number, SegmentId.numberOf(info.id()));
        }
        return new Loaded(list, Optional.ofNullable(floor), number, Optional.ofNullable(dictionary));
    }

    /** What the journal says happened to which segment (read once at start-up; events are few). */
    private record JournalSummary(
            Set<String> sealed, Set<String> archived, Set<String> evicted, long highestSegmentNumber) {
        static JournalSummary read(LifecycleJournal journal) throws IOException {
            Set<String> sealed = new HashSet<>();
            Set<String> archived = new HashSet<>();
            Set<String> evicted = new HashSet<>();
            long highest = 0;
            long after = 0;
            while (true) {
                List<LifecycleEvent> events = journal.eventsAfter(after, 10_000);
                if (events.isEmpty()) {
                    break;
                }
                for (LifecycleEvent event : events) {
                    switch (event.type()) {
                        case SEGMENT_SEALED -> sealed.add(event.segment());
                        case SEGMENT_ARCHIVED -> archived.add(event.segment());
                        case SEGMENT_EVICTED -> evicted.add(event.segment());
                        case SEGMENT_QUARANTINED, DOCUMENTS_DELETED, SEGMENT_REWRITTEN -> {}
                    }
                    highest = Math.max(highest, SegmentId.numberOf(event.segment()));
                    after = event.seq();
                }
            }
            return new JournalSummary(sealed, archived, evicted, highest);
        }
    }

    /**
     * Recovers one active file: sealed (the normal case, SPEC §7), nothing when there is nothing
     * to keep (empty or quarantined), or still active when sealing it fails for lack of disk
     * space: it is then served and appended to as the active segment, and sealed by a later
     * rotation, so a full disk never keeps the service from starting.
     */
    private ActiveOutcome recoverActive(Path file) throws IOException {
        ActiveSegmentRecovery.Recovered recovered;
        try {
            recovered = ActiveSegmentRecovery.recover(
                    file, config.fsync(), clock, contexts, quarantine::preserveDamagedActive);
        } catch (CorruptSegmentException e) {
            if (Files.size(file) == 0) {
                Files.delete(file);
                return new ActiveOutcome.Nothing();
            }
            quarantine.file(file, e.getMessage(), Optional.empty());
            return new ActiveOutcome.Nothing();
        }
        if (recovered.truncatedBytes() > 0) {
            LOG.log(
                    Level.WARNING,
                    "recovered {0}: kept {1} documents, cut {2} bytes ({3})",
                    file,
                    recovered.records(),
                    recovered.truncatedBytes(),
                    recovered.stopReason());
        }
        if (recovered.records() == 0) {
            recovered.segment().close();
            Files.delete(file);
            DurableFiles.syncDirectory(dir.root());
            return new ActiveOutcome.Nothing();
        }
        try {
            return new ActiveOutcome.Sealed(recovered.segment().seal());
        } catch (IOException e) {
            if (!InsufficientStorageException.isDiskFull(e)) {
                throw e;
            }
            LOG.log(Level.WARNING, "no disk space to seal {0} at start-up: it stays the active segment", file);
            return new ActiveOutcome.StillActive(recovered.segment());
        }
    }

    private Optional<SealedSegment> openOrQuarantine(Path file, SegmentState state) throws IOException {
        try {
            return Optional.of(SealedSegment.open(file, state, contexts));
        } catch (CorruptSegmentException e) {
            quarantine.file(file, e.getMessage(), Optional.empty());
            return Optional.empty();
        }
    }
}
