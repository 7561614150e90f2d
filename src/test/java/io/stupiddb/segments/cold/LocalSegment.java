package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A sealed segment file written by a real store, standing in for an archived object in tests that
 * need no bucket: {@code n} documents of 20-200 random bytes as hex text, uncompressed (codec
 * none: the same size whether or not the background compaction ran before the store closed).
 *
 * @param file    the sealed segment ({@code <data>/<id>.seg})
 * @param written its documents, in id order
 */
record LocalSegment(Path file, List<WrittenDocument> written) {

    static LocalSegment write(Path data, int n, long seed) throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        List<WrittenDocument> written;
        try (SegmentStore store = SegmentStore.open(
                StoreConfig.builder(data).minFreeDisk(0).compression(Codec.NONE).build(), clock)) {
            Random random = new Random(seed);
            List<DocumentToWrite> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] noise = new byte[20 + random.nextInt(180)];
                random.nextBytes(noise);
                batch.add(DocumentToWrite.at(
                        TestDocuments.msgpack(
                                Map.of("i", i, "text", HexFormat.of().formatHex(noise))),
                        clock.millis() + i));
            }
            written = store.write(batch);
            store.rotate(RotationReason.MANUAL);
        }
        return new LocalSegment(data.resolve(written.getFirst().segmentId() + ".seg"), written);
    }

    /** What the object's metadata would say of it. */
    SegmentInfo info() throws IOException {
        try (SealedSegment sealed = SealedSegment.open(file, SegmentState.SEALED)) {
            return sealed.info(null);
        }
    }
}
