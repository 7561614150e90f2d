package io.stupiddb.segments.segment;

import io.stupiddb.segments.id.DocumentIds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable snapshot of a store's segments, oldest first (segment ids sort by creation,
 * which is also document id order), the active segment (empty when none is open), and when each
 * archived segment was archived. The writer replaces the whole list on every change (rotation,
 * eviction, archive, quarantine: rare); readers take the current one without locking
 * ({@link LiveSegments}).
 */
public record SegmentList(List<SealedSegment> sealed, Optional<ActiveSegment> active, Map<String, Long> archivedAt) {

    public SegmentList {
        sealed = List.copyOf(sealed);
        archivedAt = Map.copyOf(archivedAt);
    }

    public static SegmentList empty() {
        return new SegmentList(List.of(), Optional.empty(), Map.of());
    }

    /** The segments recovered at start-up, sorted by id. */
    public static SegmentList recovered(
            List<SealedSegment> sealed, Optional<ActiveSegment> active, Map<String, Long> archivedAt) {
        List<SealedSegment> sorted = new ArrayList<>(sealed);
        sorted.sort(Comparator.comparing(SealedSegment::id));
        return new SegmentList(sorted, active, archivedAt);
    }

    public SegmentList withActive(ActiveSegment newActive) {
        return new SegmentList(sealed, Optional.of(newActive), archivedAt);
    }

    public SegmentList withoutActive() {
        return new SegmentList(sealed, Optional.empty(), archivedAt);
    }

    /** The active segment sealed: {@code added} joins the sealed ones, no segment is active. */
    public SegmentList withSealed(SealedSegment added) {
        List<SealedSegment> list = new ArrayList<>(sealed);
        list.add(added);
        list.sort(Comparator.comparing(SealedSegment::id));
        return new SegmentList(list, Optional.empty(), archivedAt);
    }

    /**
     * {@code segment} takes the place of the sealed or archived segment with its id (keeping its
     * archive time), or joins the sealed ones in id order; the active segment stays.
     */
    public SegmentList withSealedInPlace(SealedSegment segment) {
        List<SealedSegment> list = new ArrayList<>(sealed);
        list.removeIf(s -> s.id().equals(segment.id()));
        list.add(segment);
        list.sort(Comparator.comparing(SealedSegment::id));
        return new SegmentList(list, active, archivedAt);
    }

    public SegmentList without(String segmentId) {
        Map<String, Long> times = new HashMap<>(archivedAt);
        times.remove(segmentId);
        return new SegmentList(
                sealed.stream().filter(s -> !s.id().equals(segmentId)).toList(), active, times);
    }

    /** {@code archived} takes the place of the segment with its id, archived at {@code archivedAtMillis}. */
    public SegmentList archived(SealedSegment archived, long archivedAtMillis) {
        Map<String, Long> times = new HashMap<>(archivedAt);
        times.put(archived.id(), archivedAtMillis);
        return new SegmentList(
                sealed.stream()
                        .map(s -> s.id().equals(archived.id()) ? archived : s)
                        .toList(),
                active,
                times);
    }

    /** {@code replacement} takes the place of the segment with its id, in the same state and archive time. */
    public SegmentList replaced(SealedSegment replacement) {
        return new SegmentList(
                sealed.stream()
                        .map(s -> s.id().equals(replacement.id()) ? replacement : s)
                        .toList(),
                active,
                archivedAt);
    }

    public Optional<SealedSegment> sealed(String segmentId) {
        for (SealedSegment segment : sealed) {
            if (segment.id().equals(segmentId)) {
                return Optional.of(segment);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code segmentId} is the active segment. */
    public boolean isActive(String segmentId) {
        return active.isPresent() && active.get().id().equals(segmentId);
    }

    /** What is known about a sealed or archived segment of this list without reading its records. */
    public SegmentInfo info(SealedSegment segment) {
        return segment.info(archivedAt.get(segment.id()));
    }

    /** All segments, oldest first; the active one last. */
    public List<SegmentInfo> infos() {
        List<SegmentInfo> infos = new ArrayList<>(sealed.size() + 1);
        for (SealedSegment segment : sealed) {
            infos.add(info(segment));
        }
        active.ifPresent(a -> infos.add(a.info()));
        return infos;
    }

    /** The sealed segment whose id range holds {@code id}: binary search on max ids. */
    public Optional<SealedSegment> sealedHolding(UUID id) {
        int low = 0;
        int high = sealed.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (DocumentIds.compare(sealed.get(mid).footer().maxId(), id) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        if (low < sealed.size() && DocumentIds.compare(sealed.get(low).footer().minId(), id) <= 0) {
            return Optional.of(sealed.get(low));
        }
        return Optional.empty();
    }
}
