package io.stupiddb.segments.cold;

import io.stupiddb.segments.id.DocumentIds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable list of the segments this node has in the bucket, oldest first (segment ids sort
 * by creation, which is id order). Replaced whole on every change, like the store's segment list,
 * so readers take the current one without locking. Immutable, so thread-safe.
 */
record ColdIndex(List<ColdSegment> segments) {

    ColdIndex {
        List<ColdSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparing(ColdSegment::id));
        segments = List.copyOf(sorted);
    }

    static ColdIndex empty() {
        return new ColdIndex(List.of());
    }

    Optional<ColdSegment> get(String segmentId) {
        return segments.stream().filter(s -> s.id().equals(segmentId)).findFirst();
    }

    ColdIndex with(ColdSegment added) {
        List<ColdSegment> list = new ArrayList<>(without(added.id()).segments);
        list.add(added);
        return new ColdIndex(list);
    }

    ColdIndex without(String segmentId) {
        return new ColdIndex(
                segments.stream().filter(s -> !s.id().equals(segmentId)).toList());
    }

    /** The segment whose id range holds {@code id} (ranges of one node's segments do not overlap). */
    Optional<ColdSegment> holding(UUID id) {
        return segments.stream().filter(s -> s.info().mayContain(id)).findFirst();
    }

    /** The largest document id archived (new ids must be larger); empty when nothing is. */
    Optional<UUID> maxId() {
        return segments.stream()
                .map(s -> s.info().maxId())
                .filter(java.util.Objects::nonNull)
                .max(DocumentIds::compare);
    }
}
