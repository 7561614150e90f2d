package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.segment.SealedSegment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks every record of a sealed segment, one by one, and lists those that fail instead of
 * stopping at the first: what a read that met one damaged record and the scrubber both need.
 * Header, footer and index are checked first (their damage makes the whole segment unusable).
 *
 * <p>Stateless; each walk holds one reference on the segment per record, so eviction or
 * archiving can proceed between records (the walk then ends with {@code SegmentClosedException}).
 */
final class RecordWalk {
    /** Told the bytes of each checked record; may sleep to keep a rate, or throw to stop. */
    @FunctionalInterface
    interface Pace {
        Pace NONE = bytes -> {};

        void checked(long bytes) throws InterruptedException;
    }

    /**
     * @param damaged      ids of the documents whose record failed its checks, in id order
     * @param firstProblem what the first damaged record failed (no path), empty when none did
     * @param bytes        bytes of the records checked
     */
    record Result(List<UUID> damaged, Optional<String> firstProblem, long bytes) {}

    private RecordWalk() {}

    /**
     * @throws CorruptSegmentException (not a record's) when header, footer or index is damaged: quarantine the segment
     * @throws io.stupiddb.segments.segment.SegmentClosedException when the segment closed meanwhile
     */
    static Result walk(SealedSegment segment, Pace pace) throws InterruptedException {
        segment.verifyStructure();
        List<UUID> damaged = new ArrayList<>();
        Optional<String> first = Optional.empty();
        long bytes = 0;
        long documents = segment.footer().documents();
        for (long ordinal = 0; ordinal < documents; ordinal++) {
            long length;
            try {
                length = segment.verifyRecord(ordinal);
            } catch (CorruptRecordException e) {
                damaged.add(e.documentId());
                if (first.isEmpty()) {
                    first = Optional.of("at byte " + e.offset() + ": " + e.problem());
                }
                length = 0;
            }
            bytes += length;
            pace.checked(length);
        }
        return new Result(List.copyOf(damaged), first, bytes);
    }
}
