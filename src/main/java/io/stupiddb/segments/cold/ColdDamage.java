package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.DamagedRecords;
import io.stupiddb.segments.lifecycle.Quarantine;
import io.stupiddb.segments.lifecycle.StoreCounters;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reports damage found in archived objects the way the store reports it for local files: a
 * damaged index (header, id or column index, footer) sets the fetched index file aside in
 * {@code quarantine/} (or, when nothing was written yet, journals SEGMENT_QUARANTINED and counts
 * it), a damaged record journals DOCUMENTS_DAMAGED for that document ({@link DamagedRecords}:
 * once per document). The object itself is never touched: it stays in the bucket for the operator.
 *
 * <p>Thread-safety: thread-safe (what it calls is).
 */
final class ColdDamage {
    private static final System.Logger LOG = System.getLogger(ColdDamage.class.getName());

    private final Quarantine quarantine;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final DamagedRecords damaged;

    ColdDamage(Quarantine quarantine, LifecycleJournal journal, StoreCounters counters, DamagedRecords damaged) {
        this.quarantine = quarantine;
        this.journal = journal;
        this.counters = counters;
        this.damaged = damaged;
    }

    /** Sets aside what {@code cause} names (the index file as fetched) and journals the segment quarantined. */
    void quarantined(ColdSegment segment, CorruptSegmentException cause) {
        String problem = cause.getMessage() + " (object " + segment.location() + " left in the bucket)";
        try {
            Path file = cause.path();
            if (file != null && Files.exists(file)) {
                quarantine.file(file, problem, Optional.of(segment.info()));
            } else {
                journal.append(LifecycleEvent.Draft.quarantined(
                        segment.id(),
                        problem,
                        segment.info().minTimestamp(),
                        segment.info().maxTimestamp(),
                        segment.info().documents()));
                counters.corrupt();
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "could not quarantine archived segment " + segment.id(), e);
        }
    }

    /** Journals the document of a damaged record (once). Never throws. */
    void record(String segmentId, CorruptRecordException damage) {
        damaged.record(segmentId, List.of(damage.documentId()), "at byte " + damage.offset() + ": " + damage.problem());
    }
}
