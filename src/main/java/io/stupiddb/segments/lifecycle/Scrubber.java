package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;

import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background verification of every sealed and archived segment, end to end (header, footer,
 * index, every record's checksum and payload), so bit rot is found by us before a client meets
 * it. Damage is reported as a read would report it: damaged records to {@link DamagedRecords},
 * a damaged header, footer or index to {@link Quarantine}.
 *
 * <p>A pass visits the segments listed when it starts, the least recently verified first (never
 * verified before all others, then oldest first), so an interrupted pass is continued by the
 * next. Its reads are paced to {@code bytesPerSecond} ({@link #waitNanos}) so it never competes
 * with clients for the disk. A segment is remembered by its file, so an archived copy (a new
 * file) is verified again.
 *
 * <p>Thread-safety: one pass at a time ({@link #pass} is {@code synchronized}; the scheduler
 * also never overlaps runs); the counters are safe to read from any thread.
 */
public final class Scrubber {
    private static final System.Logger LOG = System.getLogger(Scrubber.class.getName());

    private final LiveSegments live;
    private final DamagedRecords damaged;
    private final Quarantine quarantine;
    private final InstantSource clock;
    /** Segment file → when it was last verified completely (epoch ms). */
    private final Map<String, Long> verifiedAt = new ConcurrentHashMap<>();

    private final AtomicLong bytesVerified = new AtomicLong();
    private final AtomicLong lastFullPassMillis = new AtomicLong();

    /** What one pass did. */
    public record Pass(int segments, long bytes, int damagedRecords, int quarantined, boolean complete) {}

    public Scrubber(LiveSegments live, DamagedRecords damaged, Quarantine quarantine, InstantSource clock) {
        this.live = live;
        this.damaged = damaged;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    /**
     * Verifies every segment listed now, at most {@code bytesPerSecond} (0: unpaced). Stops early,
     * incomplete, when the store closes or the thread is interrupted.
     */
    public synchronized Pass pass(long bytesPerSecond) {
        List<SealedSegment> order = plan();

        long start = System.nanoTime();
        AtomicLong paced = new AtomicLong();
        RecordWalk.Pace pace = bytes -> {
            if (live.isClosed()) {
                throw new InterruptedException("the store is closing");
            }
            bytesVerified.addAndGet(bytes);
            long wait = waitNanos(paced.addAndGet(bytes), System.nanoTime() - start, bytesPerSecond);
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        };
        int segments = 0;
        int records = 0;
        int quarantined = 0;
        for (SealedSegment segment : order) {
            try {
                RecordWalk.Result result = RecordWalk.walk(segment, pace);
                if (!result.damaged().isEmpty()) {
                    records += damaged.record(
                            segment.id(),
                            result.damaged(),
                            result.firstProblem().orElse("found by the scrubber"));
                }
                verifiedAt.put(key(segment), clock.millis());
                segments++;
            } catch (SegmentClosedException e) {
                // Evicted or archived meanwhile: the archived copy is a new file, verified by a later pass.
            } catch (CorruptSegmentException e) {
                quarantine.segment(segment.id(), e);
                quarantined++;
                segments++;
            } catch (InterruptedException e) {
                LOG.log(Level.INFO, "scrub pass stopped after {0} segments: {1}", segments, e.getMessage());
                if (!live.isClosed()) {
                    Thread.currentThread().interrupt();
                }
                return new Pass(segments, paced.get(), records, quarantined, false);
            }
        }
        lastFullPassMillis.set(clock.millis());
        return new Pass(segments, paced.get(), records, quarantined, true);
    }

    /** The segment ids the next pass visits, in its order: never verified first (oldest first), then least recently verified. */
    public List<String> nextPassOrder() {
        return plan().stream().map(SealedSegment::id).toList();
    }

    private List<SealedSegment> plan() {
        List<SealedSegment> order = new ArrayList<>(live.current().sealed());
        Set<String> listed = new HashSet<>();
        order.forEach(s -> listed.add(key(s)));
        verifiedAt.keySet().retainAll(listed); // evicted, archived or quarantined since
        // A stable sort: the list is oldest first, so ties (never verified) stay oldest first.
        order.sort(Comparator.comparingLong(s -> verifiedAt.getOrDefault(key(s), Long.MIN_VALUE)));
        return order;
    }

    /**
     * How long to wait after {@code bytes} were read in {@code elapsedNanos} so that the average
     * stays at or below {@code bytesPerSecond} (0: no limit). A pure function.
     */
    static long waitNanos(long bytes, long elapsedNanos, long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long due = (long) (bytes * 1_000_000_000.0 / bytesPerSecond);
        return Math.max(0, due - elapsedNanos);
    }

    /** Record bytes verified by all passes so far. */
    public long bytesVerified() {
        return bytesVerified.get();
    }

    /** When a pass last verified every listed segment (epoch ms); empty before the first. */
    public OptionalLong lastFullPassMillis() {
        long millis = lastFullPassMillis.get();
        return millis == 0 ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    private static String key(SealedSegment segment) {
        return segment.path().toString();
    }
}
