package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.segment.SegmentInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@link Archiver} sends archived segments when they leave the data volume (an object
 * store: {@code io.stupiddb.segments.cold.ColdTier}) instead of the archive directory.
 *
 * <p>Order, which keeps an interrupted archive from losing or showing anything: {@link #upload}
 * (outside the writer lock; the local segment is untouched) → the archiver journals
 * SEGMENT_ARCHIVED with the location → {@link #adopt} (under the writer lock) → the local file
 * is retired.
 *
 * <p>Thread-safety: called by one archive pass at a time; implementations must tolerate reads on
 * other threads meanwhile.
 */
public interface ColdTarget {

    /**
     * Uploads {@code archiveCopy} (the sealed rewrite at the archive level) of segment
     * {@code original} and verifies it arrived whole.
     *
     * @return its location ({@code s3://bucket/key}); empty when it was not uploaded (store
     *     unreachable or backing off): a later pass tries again, the local segment stays
     */
    Optional<String> upload(SegmentInfo original, Path archiveCopy);

    /**
     * The segment is archived at {@code location} (journaled): serve it from there from now on,
     * taking over {@code archiveCopy} (e.g. as a warm cache entry). Caller holds the writer lock.
     */
    void adopt(SegmentInfo original, String location, Path archiveCopy) throws IOException;

    /**
     * The upload of {@code original} succeeded but the segment was evicted (or the store closed)
     * before it could be journaled: remove the object again, best effort, so it never shows.
     */
    void discard(SegmentInfo original);
}
