package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.id.SegmentId;
import io.stupiddb.segments.id.SegmentNumbers;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Moves the writer from one active segment to the next: seals the active segment when
 * {@link RotationPolicy} says so (or when asked), journals SEGMENT_SEALED, hands the sealed file
 * to the {@link Compactor}, and opens the next active segment when a write needs one, with the
 * next segment id. Active segments are written uncompressed (codec none): compression costs the
 * writer nothing, it happens when the compactor rewrites the sealed file in the background.
 *
 * <p>Invariants: segment numbers strictly increase (so ids sort by creation); the sealed segment
 * is in the segment list before the active one closes, so no reader falls between the two; the
 * SEGMENT_SEALED event is durable before a rotation returns.
 *
 * <p>Thread-safety: every method is called with the writer lock held ({@link LiveSegments}).
 */
public final class Rotator {
    private final LiveSegments live;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final Compactor compactor;
    private final Settings settings;
    private final InstantSource clock;
    private final DecompressionContexts contexts;
    /** Shared with the other retention classes' stores: segment ids unique across them. */
    private final SegmentNumbers numbers;

    /**
     * What new active segments are made of.
     *
     * @param dataDir          where active segments are created
     * @param nodeId           the node number in segment ids
     * @param policy           when to rotate
     * @param durability       fsync mode of appends
     */
    public record Settings(Path dataDir, int nodeId, RotationPolicy policy, DurabilityMode durability) {}

    public Rotator(
            LiveSegments live,
            LifecycleJournal journal,
            StoreCounters counters,
            Compactor compactor,
            Settings settings,
            InstantSource clock,
            DecompressionContexts contexts,
            SegmentNumbers numbers) {
        this.live = live;
        this.journal = journal;
        this.counters = counters;
        this.compactor = compactor;
        this.settings = settings;
        this.clock = clock;
        this.contexts = contexts;
        this.numbers = numbers;
    }

    /** New segments get numbers above {@code highest} (the largest number recovery found). */
    public void resumeAfter(long highest) {
        numbers.resumeAfter(highest);
    }

    /**
     * The active segment a write at {@code now} goes to: the current one, unless a rotation limit
     * is reached; a new one when none is open.
     *
     * @throws InsufficientStorageException when the disk is full while sealing or creating a segment
     */
    public ActiveSegment activeForWrite(long now) throws IOException {
        try {
            rotateIfDue(now);
            Optional<ActiveSegment> active = live.current().active();
            return active.isPresent() ? active.get() : createActive(now);
        } catch (IOException e) {
            throw InsufficientStorageException.whenDiskFull(
                    e, "disk full while rotating or opening a segment:" + " nothing of the batch was written");
        }
    }

    /** Seals the active segment if a rotation limit is reached at {@code now}. */
    public Optional<SegmentInfo> rotateIfDue(long now) throws IOException {
        Optional<ActiveSegment> active = live.current().active();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        Optional<RotationReason> reason = settings.policy().decide(active.get().info(), now);
        return reason.isPresent() ? rotate(reason.get()) : Optional.empty();
    }

    /**
     * Seals the active segment now: the next write opens a new one. Empty when there is nothing
     * to seal. The SEGMENT_SEALED event is durable before this returns.
     *
     * @throws InsufficientStorageException when the disk is full (the segment stays active)
     */
    public Optional<SegmentInfo> rotate(RotationReason reason) throws IOException {
        Optional<ActiveSegment> current = live.current().active();
        if (current.isEmpty() || current.get().documents() == 0) {
            return Optional.empty();
        }
        ActiveSegment active = current.get();
        SealedSegment sealed;
        try {
            // The list points at the sealed segment before the active one closes: no reader falls between.
            sealed = active.seal(published -> live.publish(live.current().withSealed(published)));
        } catch (IOException e) {
            throw InsufficientStorageException.whenDiskFull(
                    e, "disk full while sealing " + active.id() + ": it stays the active segment");
        }
        SegmentInfo info = live.current().info(sealed);
        journal.append(
                LifecycleEvent.Draft.sealed(info.id(), info.minTimestamp(), info.maxTimestamp(), info.documents()));
        counters.rotated(reason);
        compactor.offer(sealed);
        return Optional.of(info);
    }

    private ActiveSegment createActive(long now) throws IOException {
        SegmentId id = numbers.next(settings.nodeId(), now);
        SegmentHeader header = SegmentHeader.create(id.toString(), now, Codec.NONE, 0, settings.nodeId(), null);
        ActiveSegment active = ActiveSegment.create(settings.dataDir(), header, settings.durability(), clock, contexts);
        live.publish(live.current().withActive(active));
        return active;
    }
}
