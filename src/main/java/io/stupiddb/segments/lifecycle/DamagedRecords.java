package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Damage confined to single records: for each sealed or archived segment, the documents whose
 * stored copy failed its checks. Those documents answer "damaged" (never 404) and scans skip
 * them; the rest of the segment stays in service. Damage that makes the whole segment unusable
 * (its index) goes to {@link Quarantine} instead.
 *
 * <p>Invariants: a document is listed here only after a {@code DOCUMENTS_DAMAGED} event naming
 * it is durable in the journal, so downstream indexes learn of every loss we report; each id is
 * journaled once per process (after a restart the first read or scrub finds it again and
 * journals it again: consumers treat events as idempotent facts). A segment's entry goes when
 * the segment is evicted.
 *
 * <p>Thread-safety: lookups are lock-free. {@code reportLock} serialises reports, so two reads
 * meeting the same damage walk the segment and journal it once.
 */
public final class DamagedRecords {
    private static final System.Logger LOG = System.getLogger(DamagedRecords.class.getName());

    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final Quarantine quarantine;
    private final Map<String, NavigableSet<UUID>> bySegment = new ConcurrentHashMap<>();
    /** Guards the check-walk-journal-remember sequence of a report. */
    private final ReentrantLock reportLock = new ReentrantLock();

    public DamagedRecords(LifecycleJournal journal, StoreCounters counters, Quarantine quarantine) {
        this.journal = journal;
        this.counters = counters;
        this.quarantine = quarantine;
        journal.addListener(event -> {
            if (event.type() == LifecycleEventType.SEGMENT_EVICTED
                    || event.type() == LifecycleEventType.SEGMENT_QUARANTINED) {
                bySegment.remove(event.segment());
            }
        });
    }

    /**
     * Start-up: the damaged documents the journal names ({@code DOCUMENTS_DAMAGED}, forgotten with
     * their segment's eviction or quarantine), so they answer "damaged" after a restart too —
     * also those a salvage left out — and are not journaled again. Nothing is counted again.
     */
    public void resume() throws IOException {
        long after = 0;
        while (true) {
            List<LifecycleEvent> events = journal.eventsAfter(after, 10_000);
            if (events.isEmpty()) {
                return;
            }
            for (LifecycleEvent event : events) {
                switch (event.type()) {
                    case DOCUMENTS_DAMAGED ->
                        bySegment
                                .computeIfAbsent(event.segment(), s -> new ConcurrentSkipListSet<>())
                                .addAll(event.ids());
                    case SEGMENT_EVICTED, SEGMENT_QUARANTINED -> bySegment.remove(event.segment());
                    default -> {}
                }
                after = event.seq();
            }
        }
    }

    /**
     * A read met {@code damage} in {@code segment}: unless it is known already, checks every
     * record of the segment now (so one event names all the documents lost, not one per read)
     * and reports what failed. A damaged index quarantines the segment. Never throws.
     */
    public void found(SealedSegment segment, CorruptRecordException damage) {
        if (isDamaged(segment.id(), damage.documentId())) {
            return;
        }
        reportLock.lock();
        try {
            if (isDamaged(segment.id(), damage.documentId())) {
                return;
            }
            List<UUID> ids = List.of(damage.documentId());
            String problem = "at byte " + damage.offset() + ": " + damage.problem();
            try {
                RecordWalk.Result walked = RecordWalk.walk(segment, RecordWalk.Pace.NONE);
                if (!walked.damaged().isEmpty()) {
                    ids = walked.damaged();
                    problem = walked.firstProblem().orElse(problem);
                }
            } catch (CorruptRecordException e) {
                throw new IllegalStateException("a walk reports record damage as a result", e);
            } catch (CorruptSegmentException e) {
                quarantine.segment(segment.id(), e);
                return;
            } catch (SegmentClosedException e) {
                // Archived or evicted meanwhile: report what the read found.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            record(segment.id(), ids, problem);
        } finally {
            reportLock.unlock();
        }
    }

    /**
     * Journals the ids of {@code segmentId} not known yet ({@code DOCUMENTS_DAMAGED}, up to
     * {@link LifecycleEvent#MAX_IDS} per event), then remembers and counts them. A failed journal
     * append is logged and nothing is remembered, so the next read or scrub reports it again.
     *
     * @return how many were new
     */
    public int record(String segmentId, List<UUID> ids, String problem) {
        reportLock.lock();
        try {
            List<UUID> fresh = new ArrayList<>();
            for (UUID id : ids) {
                if (!isDamaged(segmentId, id)) {
                    fresh.add(id);
                }
            }
            fresh.sort(UUID::compareTo);
            String detail = fresh.size() + " damaged record(s), the first " + problem;
            for (int from = 0; from < fresh.size(); from += LifecycleEvent.MAX_IDS) {
                List<UUID> chunk = fresh.subList(from, Math.min(fresh.size(), from + LifecycleEvent.MAX_IDS));
                journal.append(LifecycleEvent.Draft.damaged(segmentId, detail, chunk));
                bySegment
                        .computeIfAbsent(segmentId, s -> new ConcurrentSkipListSet<>())
                        .addAll(chunk);
                counters.damagedRecords(chunk.size());
            }
            if (!fresh.isEmpty()) {
                LOG.log(Level.ERROR, "segment {0}: {1}; documents {2} are unreadable", segmentId, detail, fresh);
            }
            return fresh.size();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "could not journal damaged records of segment " + segmentId, e);
            return 0;
        } finally {
            reportLock.unlock();
        }
    }

    /** Whether the stored copy of {@code id} in {@code segmentId} is known to be damaged. */
    public boolean isDamaged(String segmentId, UUID id) {
        Set<UUID> ids = bySegment.get(segmentId);
        return ids != null && ids.contains(id);
    }

    /** The segment whose damaged documents include {@code id}, if any (e.g. one salvaged without it). */
    public Optional<String> segmentHolding(UUID id) {
        return bySegment.entrySet().stream()
                .filter(e -> e.getValue().contains(id))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** Documents of {@code segmentId} known to be damaged (0 when none). */
    public int count(String segmentId) {
        Set<UUID> ids = bySegment.get(segmentId);
        return ids == null ? 0 : ids.size();
    }

    /** Segment id → number of damaged documents, for segments that have any. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        bySegment.forEach((segment, ids) -> counts.put(segment, ids.size()));
        return counts;
    }
}
