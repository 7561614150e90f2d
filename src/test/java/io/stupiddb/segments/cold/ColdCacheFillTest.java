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
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache's bad paths without a bucket: an index taken over from the uploaded copy costs no
 * request, and filling a hot segment's records while the bucket does not answer leaves the
 * entry as it was (index only, same bytes counted, reads still by ranged GET) and lets a later
 * fill try again. The client points at a closed port on loopback: every request is refused.
 */
class ColdCacheFillTest {
    private Path dir;
    private Path segmentFile;
    private ColdSegment segment;
    private S3Objects unreachable;
    private ColdCache cache;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("cold-cache-fill");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        List<WrittenDocument> written;
        try (SegmentStore store = SegmentStore.open(
                StoreConfig.builder(dir.resolve("data"))
                        .minFreeDisk(0)
                        .compression(Codec.NONE)
                        .build(),
                clock)) {
            Random random = new Random(5);
            List<DocumentToWrite> batch = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                byte[] noise = new byte[200];
                random.nextBytes(noise);
                batch.add(DocumentToWrite.at(
                        TestDocuments.msgpack(
                                Map.of("i", i, "text", HexFormat.of().formatHex(noise))),
                        clock.millis() + i));
            }
            written = store.write(batch);
            store.rotate(RotationReason.MANUAL);
        }
        segmentFile = dir.resolve("data").resolve(written.getFirst().segmentId() + ".seg");
        SegmentInfo info;
        try (SealedSegment sealed = SealedSegment.open(segmentFile, SegmentState.SEALED)) {
            info = sealed.info(null);
        }
        ColdSettings settings =
                ColdSettings.of("b", "p/", Optional.of(URI.create("http://127.0.0.1:1")), "us-east-1", true, 64L << 20);
        segment = new ColdSegment(info, settings.key(0, info.id()), settings.location("k"), "unused");
        unreachable = S3Objects.connect(
                settings,
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b")));
        cache = new ColdCache(dir.resolve("cold-cache"), 64L << 20, unreachable, null);
    }

    @AfterEach
    void tearDown() throws IOException {
        cache.close();
        unreachable.close();
        TestFiles.deleteRecursively(dir);
    }

    @Test
    void anIndexTakenFromTheUploadedCopyNeedsNoRequest() throws IOException {
        RemoteSegment remote = cache.adopt(segment, segmentFile);
        assertTrue(cache.holds(segment.id()));
        assertEquals(0, unreachable.getRequests());
        assertFalse(remote.isWhole(), "large enough to be read by ranges");
        assertTrue(cache.bytes() < Files.size(segmentFile) / 2, "the index only: " + cache.bytes());
    }

    @Test
    void aFillThatFailsLeavesTheIndexAsItWasAndMayBeTriedAgain() throws IOException {
        RemoteSegment remote = cache.adopt(segment, segmentFile);
        long indexBytes = cache.bytes();
        assertTrue(remote.dueForFill(0));
        assertFalse(remote.dueForFill(0), "one fill at a time");

        cache.fill(remote, 64 * 1024, Runnable::run); // in this thread: the bucket refuses it
        assertFalse(remote.isWhole());
        assertFalse(cache.whole(segment.id()));
        assertEquals(indexBytes, cache.bytes(), "nothing counted");
        assertTrue(unreachable.getRequests() > 0, "it was tried");
        assertThrows(
                ArchiveUnavailableException.class,
                () -> remote.get(segment.info().minId()));
        assertTrue(remote.dueForFill(0), "may be tried again");
    }
}
