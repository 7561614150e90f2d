package io.stupiddb.segments.cold;

import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.S3ProxyServer;
import io.stupiddb.segments.testing.StoreScans;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes around an upload: the service killed (SIGKILL, a child JVM) while a multipart upload
 * is under way, and a crash after the upload but before the journal. Nothing is lost, nothing
 * half-uploaded shows, and the next pass archives the segment whole. Also: the read-back cache
 * stays within its size.
 */
class ColdTierRecoveryTest {
    private static final String BUCKET = "recovery";
    private static Path root;
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws IOException {
        root = Files.createTempDirectory("cold-recovery");
        s3 = S3ProxyServer.start(root.resolve("s3"), BUCKET);
    }

    @AfterAll
    static void stopS3() throws IOException {
        s3.close();
        TestFiles.deleteRecursively(root);
    }

    /** {@code n} documents of random text (incompressible: 500 make a segment above 5 MiB). */
    static List<DocumentToWrite> noise(int n, long timestamp) {
        SplittableRandom random = new SplittableRandom(n);
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[12_000];
            random.nextBytes(bytes);
            batch.add(DocumentToWrite.at(
                    TestDocuments.msgpack(
                            Map.of("i", i, "blob", Base64.getEncoder().encodeToString(bytes))),
                    timestamp));
        }
        return batch;
    }

    private static ColdSettings settings(String prefix, long cacheSize) {
        ColdSettings base = s3.settings(BUCKET, cacheSize);
        return base.withPrefix(prefix);
    }

    private static StoreConfig config(Path data, ColdSettings settings, int nodeId, Duration archiveAfter) {
        return StoreConfig.builder(data)
                .minFreeDisk(0)
                .nodeId(nodeId)
                .archiveAfter(archiveAfter)
                .coldTier(settings)
                .build();
    }

    private static long count(SegmentStore store) {
        return StoreScans.ids(store, ScanSpec.ALL).size();
    }

    private static boolean anyFileNamed(Path dir, String part) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().contains(part));
        }
    }

    @Test
    void aServiceKilledMidUploadLosesNothingAndShowsNoHalfObject() throws Exception {
        Path data = root.resolve("killed");
        String prefix = "killed/";
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Daws.accessKeyId=" + S3ProxyServer.IDENTITY,
                        "-Daws.secretAccessKey=" + S3ProxyServer.CREDENTIAL,
                        "-cp",
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                        ColdUploadChild.class.getName(),
                        data.toString(),
                        s3.endpoint().toString(),
                        BUCKET,
                        prefix))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String segment;
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("SEALED "), "child said: " + line);
            segment = line.substring("SEALED ".length());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            // Kill it as soon as the upload has put something in the bucket (its first part).
            while (System.nanoTime() < deadline && !anyFileNamed(s3.baseDir().resolve(BUCKET), segment)) {
                Thread.sleep(2);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        ColdSettings settings = settings(prefix, 64L << 20);
        StoreConfig config = config(data, settings, 5, Duration.ofMillis(1));
        MutableClock clock = new MutableClock(Instant.now().plusSeconds(60));
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            SegmentInfo info = store.segment(segment).orElseThrow();
            assertEquals(500, count(store), "every acknowledged document is there");
            if (info.state() == SegmentState.SEALED) {
                assertTrue(
                        store.journal().eventsAfter(0, 100).stream()
                                .noneMatch(e -> e.type() == LifecycleEventType.SEGMENT_ARCHIVED),
                        "not journaled as archived");
                assertEquals(List.of(segment), store.archiveDue(), "the next pass uploads it whole");
            }
            assertEquals(
                    SegmentState.ARCHIVED, store.segment(segment).orElseThrow().state());
            assertTrue(Files.exists(s3.objectFile(BUCKET, settings.key(5, segment))));
        }
        // And read back from the bucket alone.
        TestFiles.deleteRecursively(data);
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            assertEquals(500, count(store));
        }
    }

    @Test
    void anUploadThatWasNeverJournaledLeavesTheLocalSegmentInChargeAndIsRedone() throws IOException {
        Path data = root.resolve("unjournaled");
        ColdSettings settings = settings("unjournaled/", 64L << 20);
        StoreConfig config = config(data, settings, 6, Duration.ofHours(1));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        String segment;
        List<WrittenDocument> written;
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            written = store.write(List.of(
                    DocumentToWrite.at(TestDocuments.msgpack(Map.of("a", 1)), clock.millis()),
                    DocumentToWrite.at(TestDocuments.msgpack(Map.of("a", 2)), clock.millis())));
            segment = store.rotate(RotationReason.MANUAL).orElseThrow().id();
            // The crash: the object went up (here: the sealed file itself) but nothing was journaled.
            SegmentInfo info = store.segment(segment).orElseThrow();
            Path file = data.resolve(segment + ".seg");
            try (S3Objects objects = S3Objects.connect(settings)) {
                ColdSegment uploaded = new ColdSegment(
                        info,
                        settings.key(6, segment),
                        settings.location(settings.key(6, segment)),
                        Uploader.sha256(file));
                new Uploader(objects, settings.partSize()).upload(file, uploaded.key(), uploaded.metadata());
            }
        }
        clock.advance(Duration.ofHours(2));
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            assertEquals(
                    SegmentState.SEALED, store.segment(segment).orElseThrow().state(), "the local copy wins");
            assertEquals(1, store.segments().size(), "listed once");
            assertTrue(store.get(written.getFirst().id()).isPresent());
            assertEquals(List.of(segment), store.archiveDue());
            assertEquals(
                    1,
                    store.journal().eventsAfter(0, 100).stream()
                            .filter(e -> e.type() == LifecycleEventType.SEGMENT_ARCHIVED)
                            .count());
            assertEquals(2, count(store));
        }
    }

    @Test
    void aSegmentLargerThanHalfTheCacheIsNeverKeptWholeAndEachGetStaysOneRequest() throws IOException {
        Path data = root.resolve("cache");
        long cacheSize = 6L << 20; // a segment of ~5.5 MiB is more than half of it
        ColdSettings settings = settings("cache/", cacheSize);
        StoreConfig config = config(data, settings, 7, Duration.ofHours(1));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        List<WrittenDocument> first;
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            first = store.write(noise(500, clock.millis()));
            store.rotate(RotationReason.MANUAL);
            clock.advance(Duration.ofHours(2));
            assertEquals(1, store.archiveDue().size());
        }
        try (SegmentStore store = SegmentStore.open(config, clock)) {
            ColdTier cold = store.coldTier().orElseThrow();
            String segment = first.getFirst().segmentId();
            assertTrue(store.get(first.getFirst().id()).isPresent());
            long index = cold.cacheBytes();
            for (int i = 1; i <= 2 * ColdTier.FILL_AFTER_GETS; i++) {
                long requests = cold.getRequests();
                assertTrue(store.get(first.get(i).id()).isPresent());
                assertEquals(1, cold.getRequests() - requests, "one ranged GET, get " + i);
            }
            assertFalse(cold.recordsCached(segment), "too large to be kept whole in this cache");
            assertEquals(index, cold.cacheBytes(), "only its index is cached");
            assertTrue(index < cacheSize / 2, "an index is a small part of a segment: " + index);
            assertEquals(1, cold.downloads());
        }
    }
}
