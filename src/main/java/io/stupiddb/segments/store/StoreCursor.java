package io.stupiddb.segments.store;

import io.stupiddb.segments.cold.ArchiveUnavailableException;
import io.stupiddb.segments.cold.ColdTier;
import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.lifecycle.DamagedRecords;
import io.stupiddb.segments.lifecycle.Quarantine;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.ScanWorkers;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentList;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A scan over the whole store: segment by segment, oldest first, in id order. The segments to
 * visit are fixed when the cursor opens (those overlapping the time range and past
 * {@code spec.afterId()}, read from their footers without touching records); only one segment
 * is open at a time. A segment sealed or archived meanwhile is continued in its new file after
 * the last id returned; one evicted meanwhile is skipped. A damaged record is reported to
 * {@link DamagedRecords} and skipped (its document is named in the journal; the scan goes on
 * after it); a segment whose index is damaged is quarantined and the damage is thrown. Format v2
 * segments and the active segment are read with the store's scan workers ({@link ScanWorkers}):
 * several cores read ahead within the segment, results stay in id order.
 *
 * <p>Not thread-safe: one cursor, one thread. Close it.
 */
final class StoreCursor implements DocumentCursor {
    private final LiveSegments live;
    private final Quarantine quarantine;
    private final DamagedRecords damaged;
    private final ScanSpec spec;
    private final ScanWorkers workers;
    /** Archived segments in an object store, merged into the walk by segment id. */
    private final Optional<ColdTier> cold;
    /** Leave out archived segments the object store cannot serve now, rather than fail. */
    private final boolean partial;

    private final List<String> segmentIds = new ArrayList<>();
    /** Archived segments left out because the object store could not serve them ({@code partial}). */
    private final List<String> skipped = new ArrayList<>();

    private int nextSegment;
    private DocumentCursor current;
    private UUID lastId;
    private boolean closed;

    StoreCursor(
            LiveSegments live,
            Quarantine quarantine,
            DamagedRecords damaged,
            ScanSpec spec,
            Optional<ColdTier> cold,
            boolean partial,
            ScanWorkers workers) {
        this.workers = workers;
        this.live = live;
        this.quarantine = quarantine;
        this.damaged = damaged;
        this.spec = spec;
        this.cold = cold;
        this.partial = partial;
        this.lastId = spec.afterId();
        // Archived objects first: taken before the local list, a segment archived in between is in both (visited once).
        List<SegmentInfo> archived = cold.map(ColdTier::infos).orElse(List.of());
        SegmentList snapshot = live.current();
        for (SealedSegment segment : snapshot.sealed()) {
            if (worthReading(segment.info(null))) {
                segmentIds.add(segment.id());
            }
        }
        for (SegmentInfo info : archived) {
            if (worthReading(info) && !segmentIds.contains(info.id())) {
                segmentIds.add(info.id());
            }
        }
        segmentIds.sort(null); // segment ids sort by creation: id order across both tiers
        snapshot.active().ifPresent(active -> segmentIds.add(active.id()));
    }

    private boolean worthReading(SegmentInfo info) {
        if (info.documents() == 0) {
            return false;
        }
        if (lastId != null && info.maxId() != null && DocumentIds.compare(info.maxId(), lastId) <= 0) {
            return false;
        }
        return info.minTimestamp() == null || spec.overlaps(info.minTimestamp(), info.maxTimestamp());
    }

    @Override
    public boolean advance() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        while (true) {
            if (current == null && !openNext()) {
                return false;
            }
            try {
                if (current.advance()) {
                    lastId = current.id();
                    return true;
                }
                current.close();
                current = null;
            } catch (SegmentClosedException e) {
                // The segment was sealed or archived meanwhile (same id, new file): continue there.
                current.close();
                current = null;
                nextSegment--;
            } catch (CorruptRecordException e) {
                // One document lost, not the scan: report it, then continue in the same segment after it.
                String id = current.segmentId();
                current.close();
                current = null;
                live.current().sealed(id).ifPresent(s -> damaged.found(s, e));
                cold.ifPresent(c -> c.recordDamaged(id, e));
                lastId = e.documentId();
                nextSegment--;
            } catch (ArchiveUnavailableException e) {
                // The object store went away mid-segment: the rest of this segment is left out, or the scan fails.
                current.close();
                current = null;
                if (!partial) {
                    throw e;
                }
                skipped.add(e.segmentId());
            } catch (CorruptSegmentException e) {
                String id = current.segmentId();
                current.close();
                current = null;
                quarantine.segment(id, e);
                cold.ifPresent(c -> c.damaged(id, e));
                throw e;
            }
        }
    }

    /** Opens the next segment of the snapshot that still exists; false when none is left. */
    private boolean openNext() {
        while (nextSegment < segmentIds.size()) {
            String id = segmentIds.get(nextSegment++);
            SegmentList now = live.current();
            ScanSpec resume = lastId == null ? spec : spec.after(lastId);
            try {
                Optional<SealedSegment> sealed = now.sealed(id);
                if (sealed.isPresent()) {
                    if (!worthReading(sealed.get().info(null))) {
                        continue;
                    }
                    current = sealed.get().scan(resume, workers);
                    return true;
                }
                Optional<ActiveSegment> active = now.active().filter(a -> a.id().equals(id));
                if (active.isPresent()) {
                    current = active.get().scan(resume, workers);
                    return true;
                }
                Optional<DocumentCursor> archived;
                try {
                    archived = cold.flatMap(c -> c.scan(id, resume));
                } catch (ArchiveUnavailableException e) {
                    if (!partial) {
                        throw e;
                    }
                    skipped.add(id); // partial=true: this archived segment is left out, and named
                    continue;
                }
                if (archived.isPresent()) {
                    current = archived.get();
                    return true;
                }
                // Evicted since the scan started: continue with the next one.
            } catch (SegmentClosedException e) {
                nextSegment--; // replaced while we looked; look again in the newer list
                Thread.onSpinWait();
            } catch (CorruptSegmentException e) {
                quarantine.segment(id, e); // its index failed on first use
                throw e;
            }
        }
        return false;
    }

    /**
     * The archived segments left out so far because the object store could not serve them (only
     * with {@code partial}; a segment left out mid-way may have given some documents first).
     */
    List<String> skipped() {
        return List.copyOf(skipped);
    }

    @Override
    public UUID id() {
        return current.id();
    }

    @Override
    public long timestamp() {
        return current.timestamp();
    }

    @Override
    public String segmentId() {
        return current.segmentId();
    }

    @Override
    public ByteBuffer source() {
        return current.source();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
