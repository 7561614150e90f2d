package io.stupiddb.segments.segment;

import io.stupiddb.segments.id.DocumentIds;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An immutable snapshot of the store's segments, oldest first (segment ids sort by creation,
 * which is also document id order), plus the active segment (null when none is open). The
 * writer replaces the whole view on every change (rotation, eviction, archive, quarantine:
 * rare); readers take the current one without locking.
 */
public record SegmentList(List<SealedSegment> sealed, ActiveSegment active) {

    public SegmentList {
        sealed = List.copyOf(sealed);
    }

    public static SegmentList empty() {
        return new SegmentList(List.of(), null);
    }

    public SegmentList withActive(ActiveSegment newActive) {
        return new SegmentList(sealed, newActive);
    }

    public SegmentList withSealed(SealedSegment added, ActiveSegment newActive) {
        List<SealedSegment> list = new ArrayList<>(sealed);
        list.add(added);
        list.sort(java.util.Comparator.comparing(SealedSegment::id));
        return new SegmentList(list, newActive);
    }

    public SegmentList without(String segmentId) {
        return new SegmentList(sealed.stream().filter(s -> !s.id().equals(segmentId)).toList(), active);
    }

    public SegmentList replacing(SealedSegment replacement) {
        return new SegmentList(sealed.stream().map(s -> s.id().equals(replacement.id()) ? replacement : s).toList(),
                active);
    }

    public SealedSegment sealed(String segmentId) {
        for (SealedSegment segment : sealed) {
            if (segment.id().equals(segmentId)) {
                return segment;
            }
        }
        return null;
    }

    /** The sealed segment whose id range holds {@code id}: binary search on max ids. */
    public SealedSegment sealedHolding(UUID id) {
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
            return sealed.get(low);
        }
        return null;
    }
}
