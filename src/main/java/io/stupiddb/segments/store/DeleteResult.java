package io.stupiddb.segments.store;

import java.util.List;

/**
 * What a delete by filter did on one store (SPEC §11).
 *
 * @param deleted  documents deleted (hidden now, their space reclaimed later)
 * @param segments per affected segment, oldest first: its id and how many documents went
 */
public record DeleteResult(long deleted, List<SegmentDeletion> segments) {
    public DeleteResult {
        segments = List.copyOf(segments);
    }

    /** Documents deleted from one segment. */
    public record SegmentDeletion(String segment, long documents) {}
}
