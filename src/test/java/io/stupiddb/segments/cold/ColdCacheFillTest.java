package io.stupiddb.segments.cold;

import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
        LocalSegment local = LocalSegment.write(dir.resolve("data"), 800, 5);
        segmentFile = local.file();
        SegmentInfo info = local.info();
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
