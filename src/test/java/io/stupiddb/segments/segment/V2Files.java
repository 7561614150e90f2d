package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/** Writes format v2 files for tests: an uncompressed v1 seal of the documents, compacted to v2. */
final class V2Files {
    private V2Files() {}

    /** {@code dir/<id>.seg} in v2 form holding {@code documents}; the v1 file is gone. */
    static Path write(Path dir, String id, List<NewDocument> documents, Codec codec, ColumnSettings columns)
            throws IOException {
        Path v1Dir = Files.createDirectories(dir.resolve("v1-" + id));
        ActiveSegment active = ActiveSegment.create(
                v1Dir,
                SegmentHeader.create(id, 9L, Codec.NONE, 0, 1, null),
                DurabilityMode.NEVER,
                InstantSource.system());
        active.append(documents);
        SealedSegment v1 = active.seal();
        Path target = SegmentFiles.sealed(dir, id);
        try {
            SealedSegmentWriter.write(
                    v1,
                    SegmentHeader.create(id, 9L, codec, codec == Codec.ZSTD ? 3 : 0, 1, null),
                    columns,
                    samples -> samples.train().orElse(null),
                    target);
        } finally {
            v1.close();
            try {
                v1.awaitUnmapped(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.delete(v1.path());
            Files.delete(v1Dir);
        }
        return target;
    }
}
