package io.stupiddb.segments.store;

import io.stupiddb.segments.cold.ColdTier;
import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.lifecycle.DamagedRecords;
import io.stupiddb.segments.lifecycle.Quarantine;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentList;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/**
 * Gets by id of one {@link SegmentStore}: the sealed segment whose id range holds the id (else
 * the active one, else the object-store archive), deleted ids hidden, and never "not found" for a
 * document known to be lost: damage met on the way is reported ({@link DamagedRecords},
 * {@link Quarantine}) and answered as {@link DocumentDamagedException}.
 *
 * <p>Thread-safety: lock-free; it reads the current immutable {@link SegmentList} and retries when
 * the segment it chose was sealed, archived or evicted under it.
 */
final class StoreReader {
    private final LiveSegments live;
    private final Quarantine quarantine;
    private final DamagedRecords damaged;
    private final Optional<ColdTier> cold;
    private final StoreDeletes deletes;

    StoreReader(
            LiveSegments live,
            Quarantine quarantine,
            DamagedRecords damaged,
            Optional<ColdTier> cold,
            StoreDeletes deletes) {
        this.live = live;
        this.quarantine = quarantine;
        this.damaged = damaged;
        this.cold = cold;
        this.deletes = deletes;
    }

    /**
     * The document with this id, if the store holds it. Lock-free.
     *
     * @throws DocumentDamagedException when its stored copy is damaged (its record, or its
     *     quarantined segment): never an empty answer for a document that was written
     */
    Optional<StoredDocument> get(UUID id) throws IOException {
        Optional<StoredDocument> found = find(id);
        if (found.isEmpty()) {
            throwIfKnownLost(id);
        }
        return found;
    }

    /**
     * Written once, so never "not found" when we know its copy was lost: throws when {@code id} is
     * in a quarantined segment (or in the id gap of one whose range is unknown), or was left out of
     * a salvaged one. For an id no segment of this store holds.
     */
    void throwIfKnownLost(UUID id) {
        quarantine.holding(id).ifPresent(q -> {
            throw DocumentDamagedException.quarantined(id, q.segmentId(), null);
        });
        quarantine.unknownRangeHolding(id, live.current().infos()).ifPresent(segmentId -> {
            throw DocumentDamagedException.quarantined(id, segmentId, null);
        });
        damaged.segmentHolding(id).ifPresent(lostIn -> {
            throw DocumentDamagedException.salvagedWithout(id, lostIn);
        });
    }

    /**
     * Whether {@link #find} of {@code id} may wait on the network: no local segment's range holds
     * it and an archived object's does. Otherwise a get reads only this node's files (mapped sealed
     * segments, the active segment) and memory. Lock-free, in memory.
     */
    boolean mayFetchRemotely(UUID id) {
        return cold.isPresent()
                && live.current().sealedHolding(id).isEmpty()
                && cold.get().mayHold(id);
    }

    /**
     * {@link #get} without the inference of {@link #throwIfKnownLost}: empty when no segment of
     * this store holds {@code id} (the retention classes' stores are asked in turn).
     *
     * @throws DocumentDamagedException when the segment holding it finds its record or itself damaged
     */
    Optional<StoredDocument> find(UUID id) throws IOException {
        for (int attempt = 0; ; attempt++) {
            SegmentList current = live.current();
            Optional<SealedSegment> segment = current.sealedHolding(id);
            try {
                if (deletes.isDeleted(id)) {
                    return Optional.empty();
                }
                Optional<StoredDocument> found = segment.isPresent()
                        ? segment.get().get(id)
                        : current.active().isPresent() ? current.active().get().get(id) : Optional.empty();
                if (found.isEmpty() && segment.isEmpty() && cold.isPresent()) {
                    found = cold.get().get(id);
                }
                return found;
            } catch (SegmentClosedException e) {
                // Sealed, archived or evicted under us: the next list knows where the document is now.
                if (attempt >= 3) {
                    throw e;
                }
            } catch (CorruptRecordException e) {
                segment.ifPresent(s -> damaged.found(s, e));
                if (segment.isPresent() && quarantine.holding(id).isPresent()) {
                    throw DocumentDamagedException.quarantined(id, segment.get().id(), e);
                }
                throw DocumentDamagedException.record(id, e.segmentId().orElse("?"), e.offset(), e.problem(), e);
            } catch (CorruptSegmentException e) {
                if (segment.isEmpty()) {
                    throw e;
                }
                quarantine.segment(segment.get().id(), e);
                throw DocumentDamagedException.quarantined(id, segment.get().id(), e);
            }
        }
    }
}
