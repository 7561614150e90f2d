package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Copies a sealed segment into a new sealed file with the same id, header (creation time, node,
 * dictionary) and sealing time, at a given zstd level, keeping the documents a predicate accepts:
 * the one rewrite path of archiving ({@link Archiver}) and of reclaiming deleted documents
 * ({@link Reclaimer}). The copy is written as {@code <tmpDir>/<id>.active}, sealed (fsynced) to
 * {@code <tmpDir>/<id>.seg}; renaming it into place is the caller's step. {@code tmpDir} is
 * emptied first and again on failure, so it must belong to one caller at a time.
 *
 * <p>Stateless; thread-safe as long as no two calls share a {@code tmpDir}. Reads the original
 * without any lock (a reference is held by its cursor; {@link
 * io.stupiddb.segments.segment.SegmentClosedException} when it is retired meanwhile).
 */
public final class SegmentRewriter {
    private static final int BATCH = 256;

    /**
     * @param file   the sealed copy, in the temp directory
     * @param before documents in the original
     * @param after  documents in the copy; 0 means no file was written ({@code file} is absent)
     */
    public record Result(Path file, long before, long after) {}

    private SegmentRewriter() {}

    /**
     * Rewrites {@code original} into {@code tmpDir} with {@code codec} at {@code level} (the
     * original's dictionary is kept for zstd), keeping the documents {@code keep} accepts.
     */
    public static Result rewrite(
            SealedSegment original, Path tmpDir, Codec codec, int level, Predicate<StoredDocument> keep)
            throws IOException {
        SegmentFiles.deleteMatching(tmpDir, "");
        SegmentHeader old = original.header();
        SegmentHeader header = SegmentHeader.create(
                old.segmentId(),
                old.createdAtMillis(),
                codec,
                level,
                old.nodeId(),
                codec == Codec.ZSTD && old.codec() == Codec.ZSTD ? old.dictionary() : null);
        ActiveSegment copy = ActiveSegment.create(
                tmpDir,
                header,
                DurabilityMode.NEVER,
                InstantSource.fixed(Instant.ofEpochMilli(original.footer().sealedAtMillis())));
        boolean success = false;
        try (DocumentCursor cursor = original.scan(ScanSpec.ALL)) {
            long before = 0;
            long after = 0;
            List<NewDocument> batch = new ArrayList<>(BATCH);
            while (cursor.advance()) {
                before++;
                StoredDocument doc = cursor.document();
                if (!keep.test(doc)) {
                    continue;
                }
                after++;
                batch.add(new NewDocument(doc.id(), doc.timestamp(), doc.source()));
                if (batch.size() == BATCH) {
                    copy.append(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (after == 0) {
                return new Result(SegmentFiles.sealed(tmpDir, old.segmentId()), before, 0); // finally empties tmpDir
            }
            copy.append(batch);
            SealedSegment sealed = copy.seal();
            sealed.close();
            success = true;
            return new Result(sealed.path(), before, after);
        } finally {
            if (!success) {
                copy.close();
                SegmentFiles.deleteMatching(tmpDir, "");
            }
        }
    }
}
