package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SealedSegmentWriter;
import io.stupiddb.segments.segment.SegmentFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Copies a sealed segment into a new sealed file in format v2 ({@link SealedSegmentWriter}) with
 * the same id, creation time, node and sealing time, at a given codec and zstd level, keeping the
 * documents a predicate accepts: the one rewrite path of archiving ({@link Archiver}) and of
 * reclaiming deleted documents ({@link Reclaimer}). The records keep the original's dictionary
 * when it has one (shared with its neighbours); otherwise one is trained from the segment's own
 * sample. The copy is written as {@code <tmpDir>/<id>.seg} and fsynced; renaming it into place is
 * the caller's step. {@code tmpDir} is emptied first and again on failure, so it must belong to
 * one caller at a time.
 *
 * <p>Stateless; thread-safe as long as no two calls share a {@code tmpDir}. Reads the original
 * without any lock (a reference is held by its cursor; {@link
 * io.stupiddb.segments.segment.SegmentClosedException} when it is retired meanwhile).
 */
public final class SegmentRewriter {

    /**
     * @param file   the sealed copy, in the temp directory
     * @param before documents in the original
     * @param after  documents in the copy; 0 means no file was written ({@code file} is absent)
     */
    public record Result(Path file, long before, long after) {}

    private SegmentRewriter() {}

    /**
     * Rewrites {@code original} into {@code tmpDir} with {@code codec} at {@code level}, keeping
     * the documents whose id {@code keep} accepts, with {@code columns} as the column index.
     */
    public static Result rewrite(
            SealedSegment original, Path tmpDir, Codec codec, int level, ColumnSettings columns, Predicate<UUID> keep)
            throws IOException {
        SegmentFiles.deleteMatching(tmpDir, "");
        SegmentHeader old = original.header();
        SegmentHeader header = SegmentHeader.create(
                old.segmentId(), old.createdAtMillis(), codec, codec == Codec.ZSTD ? level : 0, old.nodeId(), null);
        Path tmp = SegmentFiles.sealed(tmpDir, old.segmentId());
        boolean success = false;
        try {
            SealedSegmentWriter.Written written = SealedSegmentWriter.write(
                    original,
                    header,
                    columns,
                    samples -> old.hasDictionary()
                            ? old.dictionary()
                            : samples.train().orElse(null),
                    tmp,
                    keep);
            success = true;
            return new Result(tmp, written.read(), written.documents());
        } finally {
            if (!success) {
                SegmentFiles.deleteMatching(tmpDir, "");
            }
        }
    }
}
