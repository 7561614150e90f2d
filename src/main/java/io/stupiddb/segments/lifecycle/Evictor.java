package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentList;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Retires segments: retention by age ({@code segments.retention}) and by total size
 * ({@code segments.max-total-size}), chosen by {@link Retention}; manual eviction; and the
 * trimming of journal events about data long gone.
 *
 * <p>Eviction is two-phase, so a reader never has a file vanish under it: journal first
 * (durable), then out of the segment list, then the file is renamed to {@code .seg.deleted} and
 * deleted once its last reader has left. A crash in between finishes the eviction at start-up
 * from the journal.
 *
 * <p>Thread-safety: every method is called with the writer lock held ({@link LiveSegments}).
 */
public final class Evictor {
    private static final System.Logger LOG = System.getLogger(Evictor.class.getName());
    /** Journal events outlive the data they describe by at least this much (see {@link #enforceRetention}). */
    private static final Duration JOURNAL_SLACK = Duration.ofDays(1);

    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final Settings settings;

    /**
     * @param retention    evict segments whose newest timestamp is older than this
     * @param maxTotalSize also evict the oldest segments while the store is larger (empty: no cap)
     * @param maxClockSkew how far in the future a timestamp may be (bounds how long events must be kept)
     */
    /**
     * @param retention        segments whose newest timestamp is older go
     * @param maxTotalSize     then the oldest while the segments are larger (absent: no cap)
     * @param maxClockSkew     how far in the future a timestamp may be
     * @param journalRetention how long journal events are kept: the longest retention of every
     *                         store sharing the journal (retention classes), never shorter than
     *                         {@code retention}
     */
    public record Settings(
            Duration retention, OptionalLong maxTotalSize, Duration maxClockSkew, Duration journalRetention) {
        public Settings {
            if (journalRetention.compareTo(retention) < 0) {
                throw new IllegalArgumentException(
                        "journal retention " + journalRetention + " is shorter than the retention " + retention);
            }
        }
    }

    public Evictor(LiveSegments live, LifecycleJournal journal, StoreCounters counters, Settings settings) {
        this.live = live;
        this.journal = journal;
        this.counters = counters;
        this.settings = settings;
    }

    /**
     * Evicts segments beyond the retention, then the oldest ones while the store is larger than
     * the size cap, and trims the journal.
     *
     * @return the evicted segment ids, oldest first
     */
    public List<String> enforceRetention(long now) throws IOException {
        List<String> evicted = new ArrayList<>();
        for (Due due : due(now)) {
            evict(due.segmentId(), due.reason());
            evicted.add(due.segmentId());
        }
        // Events outlive their segments: a segment is evicted at maxTimestamp + retention at the latest,
        // and maxTimestamp <= its sealing time + max clock skew.
        journal.trim(Instant.ofEpochMilli(now)
                .minus(settings.journalRetention())
                .minus(settings.maxClockSkew())
                .minus(JOURNAL_SLACK));
        return evicted;
    }

    /** A segment a retention pass at some time evicts, and why. */
    public record Due(String segmentId, EvictionReason reason) {}

    /**
     * What a retention pass at {@code now} evicts, in that order: segments beyond the retention,
     * then the oldest while the store is larger than the size cap. Read-only; any thread.
     */
    public List<Due> due(long now) {
        List<SegmentInfo> infos = live.current().infos();
        List<String> byTime = Retention.beyondTime(infos, now, settings.retention());
        List<Due> due = new ArrayList<>();
        byTime.forEach(id -> due.add(new Due(id, EvictionReason.RETENTION)));
        if (settings.maxTotalSize().isPresent()) {
            Retention.beyondSize(infos, settings.maxTotalSize().getAsLong(), Set.copyOf(byTime))
                    .forEach(id -> due.add(new Due(id, EvictionReason.SIZE)));
        }
        return due;
    }

    /**
     * Evicts one sealed or archived segment.
     *
     * @throws NoSuchSegmentException when there is no such segment
     * @throws ActiveSegmentConflictException for the active segment
     */
    public void evict(String segmentId, EvictionReason reason) throws IOException {
        SegmentList current = live.current();
        if (current.isActive(segmentId)) {
            throw new ActiveSegmentConflictException(segmentId);
        }
        SealedSegment segment = current.sealed(segmentId).orElseThrow(() -> new NoSuchSegmentException(segmentId));
        SegmentInfo info = current.info(segment);
        journal.append(LifecycleEvent.Draft.evicted(
                segmentId, reason, info.minTimestamp(), info.maxTimestamp(), info.documents()));
        live.publish(current.without(segmentId));
        retire(segment);
        counters.evicted(reason);
    }

    /**
     * Renames a segment that has left the list to {@code .seg.deleted} and deletes it once its last
     * reader has left (a crash before that: start-up deletes it).
     */
    public static void retire(SealedSegment segment) throws IOException {
        Path file = segment.path();
        Path deleted = file.resolveSibling(segment.id() + SegmentFiles.DELETED);
        Files.move(file, deleted, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(file.getParent());
        segment.close(() -> deleteQuietly(deleted));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + file + "; it is deleted at the next start", e);
        }
    }
}
