package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Rewrites a damaged or quarantined segment from its intact records and puts it back into
 * service under its id: the documents of its file in service (if listed) and of its newest copy
 * in {@code quarantine/} (a sealed file, or an active file set aside before recovery cut it) are
 * merged by id, written to {@code salvage-tmp/}, sealed, verified end to end, then moved into
 * place (the data directory, or the archive for an archived segment) under the writer lock.
 *
 * <p>Journal: {@code DOCUMENTS_DAMAGED} for the documents the index listed but no intact record
 * holds (when an index could be read), then {@code SEGMENT_SEALED} with a detail saying it was
 * salvaged, so consumers learn the segment (and how many documents) is in service again.
 * The copy in {@code quarantine/} stays for the operator.
 *
 * <p>Thread-safety: salvages are serialised ({@code synchronized}); reading and rewriting run
 * outside the writer lock, the swap inside it (a segment changed meanwhile makes it fail, not
 * lose data).
 */
public final class Salvager {
    private static final System.Logger LOG = System.getLogger(Salvager.class.getName());

    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final Quarantine quarantine;
    private final DamagedRecords damaged;
    private final Path root;
    private final DecompressionContexts contexts;
    private final InstantSource clock;

    /**
     * @param segmentId the segment, now in service
     * @param kept      documents in the salvaged segment
     * @param lost      documents its index listed that could not be salvaged
     * @param lossKnown whether an intact index told which documents the segment held (else only
     *                  what was found is known)
     * @param sources   the files read (names only)
     */
    public record Salvaged(String segmentId, long kept, List<UUID> lost, boolean lossKnown, List<String> sources) {}

    public Salvager(
            LiveSegments live,
            LifecycleJournal journal,
            Quarantine quarantine,
            DamagedRecords damaged,
            Path root,
            DecompressionContexts contexts,
            InstantSource clock) {
        this.live = live;
        this.journal = journal;
        this.quarantine = quarantine;
        this.damaged = damaged;
        this.root = root;
        this.contexts = contexts;
        this.clock = clock;
    }

    /**
     * @throws NoSuchSegmentException when neither a listed segment nor a quarantined copy has this id
     * @throws ActiveSegmentConflictException for the active segment
     * @throws NotSalvageableException when no intact record is left, or the header is unreadable
     */
    public synchronized Salvaged salvage(String segmentId) throws IOException {
        live.ensureOpen();
        if (live.current().isActive(segmentId)) {
            throw new ActiveSegmentConflictException(segmentId);
        }
        Optional<SealedSegment> listed = live.current().sealed(segmentId);
        List<Path> sources = new ArrayList<>();
        listed.ifPresent(s -> sources.add(s.path()));
        quarantine.newestCopy(segmentId).ifPresent(sources::add);
        if (sources.isEmpty()) {
            throw new NoSuchSegmentException(segmentId);
        }
        Map<UUID, NewDocument> merged = new TreeMap<>(DocumentIds::compare);
        List<UUID> indexed = new ArrayList<>();
        boolean lossKnown = false;
        SalvageScan.Found first = null;
        List<String> problems = new ArrayList<>();
        for (Path source : sources) {
            try {
                SalvageScan.Found found = SalvageScan.read(source);
                if (!found.header().segmentId().equals(segmentId)) {
                    problems.add(source.getFileName() + " holds segment "
                            + found.header().segmentId());
                    continue;
                }
                first = first == null ? found : first;
                found.intact().forEach(d -> merged.putIfAbsent(d.id(), d));
                if (found.indexed().isPresent()) {
                    indexed.addAll(found.indexed().get());
                    lossKnown = true;
                }
            } catch (io.stupiddb.segments.format.CorruptSegmentException e) {
                problems.add(source.getFileName() + ": " + e.problem());
            }
        }
        if (first == null || merged.isEmpty()) {
            throw new NotSalvageableException(segmentId, problems.isEmpty() ? "no intact record" : problems.toString());
        }
        List<UUID> lost = indexed.stream()
                .filter(id -> !merged.containsKey(id))
                .distinct()
                .toList();
        Path written = write(first, new ArrayList<>(merged.values()));
        swap(segmentId, listed, written, lost, sources);
        List<String> names =
                sources.stream().map(p -> p.getFileName().toString()).toList();
        LOG.log(
                Level.WARNING,
                "salvaged segment {0} from {1}: {2} documents kept, {3} lost{4}",
                segmentId,
                names,
                merged.size(),
                lost.size(),
                lossKnown ? "" : " (no intact index: the lost ones are unknown)");
        return new Salvaged(segmentId, merged.size(), lost, lossKnown, names);
    }

    /** Writes the salvaged file in {@code salvage-tmp/} and verifies it end to end from disk; returns its path. */
    private Path write(SalvageScan.Found found, List<NewDocument> documents) throws IOException {
        Path tmpDir = Files.createDirectories(root.resolve("salvage-tmp"));
        Path written = TmpSegment.write(tmpDir, found.header(), clock, copy -> {
            for (int from = 0; from < documents.size(); from += 256) {
                copy.append(documents.subList(from, Math.min(documents.size(), from + 256)));
            }
        });
        boolean verified = false;
        try (SealedSegment check = SealedSegment.open(written, SegmentState.SEALED, contexts)) {
            check.verify();
            verified = true;
        } finally {
            if (!verified) {
                Files.deleteIfExists(written);
            }
        }
        return written;
    }

    private void swap(
            String segmentId, Optional<SealedSegment> listed, Path written, List<UUID> lost, List<Path> sources)
            throws IOException {
        live.writerLock().lock();
        try {
            live.ensureOpen();
            Optional<SealedSegment> now = live.current().sealed(segmentId);
            if (!now.equals(listed)) {
                Files.deleteIfExists(written);
                throw new IllegalStateException("segment " + segmentId + " changed while it was salvaged; try again");
            }
            SegmentState state = listed.map(SealedSegment::state).orElse(SegmentState.SEALED);
            Path target = listed.map(SealedSegment::path).orElse(root.resolve(segmentId + SegmentFiles.SEALED));
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(target.getParent());
            SealedSegment salvaged = SealedSegment.open(target, state, contexts);
            if (!lost.isEmpty()) {
                damaged.record(segmentId, lost, "lost in salvage (no intact record)");
            }
            SegmentInfo info = salvaged.info(null);
            journal.append(
                    LifecycleEvent.Draft.sealed(segmentId, info.minTimestamp(), info.maxTimestamp(), info.documents())
                            .withDetail("salvaged from "
                                    + sources.stream()
                                            .map(p -> p.getFileName().toString())
                                            .toList() + ": "
                                    + info.documents() + " documents kept, " + lost.size() + " lost"));
            live.publish(live.current().withSealedInPlace(salvaged));
            quarantine.released(segmentId);
            listed.ifPresent(SealedSegment::close); // renamed over: its inode goes with its last reader
        } finally {
            live.writerLock().unlock();
        }
    }
}
