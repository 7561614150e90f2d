package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * A segment rewritten into a scratch directory (archiving, salvage): the directory is emptied,
 * the documents appended unforced, the file sealed (which forces it) and closed; on any failure
 * the directory is emptied again, so a half-written copy never survives to be moved into place.
 *
 * <p>Stateless; callers serialise the use of one scratch directory.
 */
final class TmpSegment {
    /** Appends the documents to the copy. */
    @FunctionalInterface
    interface Fill {
        void into(ActiveSegment copy) throws IOException;
    }

    private TmpSegment() {}

    /** @return the sealed file in {@code tmpDir}; {@code sealedAt} gives its sealing time */
    static Path write(Path tmpDir, SegmentHeader header, InstantSource sealedAt, Fill fill) throws IOException {
        SegmentFiles.deleteMatching(tmpDir, "");
        ActiveSegment copy = ActiveSegment.create(tmpDir, header, DurabilityMode.NEVER, sealedAt);
        boolean success = false;
        try {
            fill.into(copy);
            SealedSegment sealed = copy.seal();
            sealed.close();
            success = true;
            return sealed.path();
        } finally {
            if (!success) {
                copy.close();
                SegmentFiles.deleteMatching(tmpDir, "");
            }
        }
    }
}
