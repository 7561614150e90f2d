package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cold tier end to end against a real S3 server (S3Proxy, filesystem backend, a child JVM on
 * loopback): upload, read back, evict, outages, a flipped byte in a stored object, and a node
 * that lost its volume. Each test archives under its own key prefix in one bucket.
 */
class ColdTierTest {
    private static final String BUCKET = "cold";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static S3ProxyServer s3;

    private Path dir;
    private MutableClock clock;
    private SegmentStore store;
    private ColdSettings settings;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3ProxyServer.startInTemporaryDirectory(BUCKET);
    }

    @AfterAll
    static void stopS3() throws IOException {
        s3.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("cold-store");
        clock = new MutableClock(T0);
        ColdSettings base = s3.settings(BUCKET, 64L << 20);
        settings = base.withPrefix("t" + PREFIXES.incrementAndGet() + "/");
    }

    @AfterEach
    void tearDown() throws IOException {
        s3.start(); // tests that stop it leave it stopped on failure
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private StoreConfig config() {
        return StoreConfig.builder(dir.resolve("data"))
                .minFreeDisk(0)
                .nodeId(3)
                .archiveAfter(Duration.ofHours(2))
                .retention(Duration.ofDays(30))
                .coldTier(settings)
                .build();
    }

    private SegmentStore open() throws IOException {
        store = SegmentStore.open(config(), clock);
        return store;
    }

    private void reopen() throws IOException {
        store.close();
        store = null;
        open();
    }

    private List<WrittenDocument> writeN(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(DocumentToWrite.at(
                    TestDocuments.msgpack(Map.of("i", i, "level", i % 3 == 0 ? "error" : "info")), clock.millis() + i));
        }
        return store.write(batch);
    }

    /** Writes n documents into a segment of their own, seals it and archives it; returns the documents. */
    private List<WrittenDocument> archivedSegment(int n) throws IOException {
        List<WrittenDocument> written = writeN(n);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        clock.advance(Duration.ofHours(3));
        assertEquals(List.of(id), store.archiveDue());
        return written;
    }

    private List<UUID> scanIds(ScanSpec spec) {
        return StoreScans.ids(store, spec);
    }

    private String key(String segmentId) {
        return settings.key(3, segmentId);
    }

    private List<LifecycleEvent> events() throws IOException {
        return store.journal().eventsAfter(0, 1000);
    }

    @Test
    void aSealedSegmentIsUploadedVerifiedJournaledWithItsLocationAndLeavesTheVolume() throws IOException {
        open();
        List<WrittenDocument> written = archivedSegment(40);
        String id = written.getFirst().segmentId();

        assertFalse(Files.exists(dir.resolve("data").resolve(id + ".seg")), "local file removed");
        assertTrue(Files.exists(s3.objectFile(BUCKET, key(id))), "object under <prefix>node-3/");
        SegmentInfo info = store.segment(id).orElseThrow();
        assertEquals(SegmentState.ARCHIVED, info.state());
        assertEquals(19, info.level());
        assertEquals(40, info.documents());
        String location = "s3://" + BUCKET + "/" + settings.prefix() + "node-3/" + id + ".seg";
        assertEquals(location, store.location(id).orElseThrow());
        LifecycleEvent archived = events().stream()
                .filter(e -> e.type() == LifecycleEventType.SEGMENT_ARCHIVED)
                .findFirst()
                .orElseThrow();
        assertEquals(id, archived.segment());
        assertEquals(location, archived.location().orElseThrow());
        assertEquals(40, archived.documents());
    }

    @Test
    void archivedDocumentsAreReadBackByGetAndScanAfterARestartWithAColdCache() throws IOException {
        open();
        List<WrittenDocument> old = archivedSegment(30);
        List<WrittenDocument> fresh = writeN(5);
        reopen(); // the cache starts empty: the first read of the archived segment fetches its index
        assertEquals(0, store.coldTier().orElseThrow().downloads());
        for (WrittenDocument w : old) {
            StoredDocument doc = store.get(w.id()).orElseThrow();
            assertEquals(w.timestamp(), doc.timestamp());
            assertEquals(w.segmentId(), doc.segmentId());
        }
        assertEquals(1, store.coldTier().orElseThrow().downloads(), "one index fetch, then cached");
        List<UUID> expected = new ArrayList<>();
        old.forEach(w -> expected.add(w.id()));
        fresh.forEach(w -> expected.add(w.id()));
        assertEquals(expected, scanIds(ScanSpec.ALL), "both tiers, in id order");
        assertTrue(store.get(UUID.randomUUID()).isEmpty());
    }

    @Test
    void timePruningSkipsArchivedSegmentsWithoutAnyDownload() throws IOException {
        open();
        archivedSegment(10);
        clock.advance(Duration.ofHours(1));
        List<WrittenDocument> recent = writeN(3);
        reopen();
        long from = recent.getFirst().timestamp();
        assertEquals(3, scanIds(ScanSpec.range(from, Long.MAX_VALUE)).size());
        assertEquals(0, store.coldTier().orElseThrow().downloads(), "footer facts from the object metadata");
    }

    @Test
    void retentionDeletesTheObjectThenJournalsTheEviction() throws IOException {
        open();
        String id = archivedSegment(10).getFirst().segmentId();
        clock.advance(Duration.ofDays(31));
        assertEquals(List.of(id), store.enforceRetention());
        assertFalse(Files.exists(s3.objectFile(BUCKET, key(id))));
        assertTrue(store.segment(id).isEmpty());
        assertEquals(LifecycleEventType.SEGMENT_EVICTED, events().getLast().type());
        reopen();
        assertTrue(store.segment(id).isEmpty(), "stays evicted");
    }

    @Test
    void aManualEvictionOfAnArchivedSegmentDeletesItsObject() throws IOException {
        open();
        String id = archivedSegment(10).getFirst().segmentId();
        store.evict(id);
        assertFalse(Files.exists(s3.objectFile(BUCKET, key(id))));
        assertTrue(store.segment(id).isEmpty());
    }

    @Test
    void aNodeThatLostItsVolumeServesItsArchivedSegmentsAgainAndNeverReusesTheirIds() throws IOException {
        open();
        List<WrittenDocument> a = archivedSegment(10);
        List<WrittenDocument> b = archivedSegment(12);
        store.close();
        store = null;
        TestFiles.deleteRecursively(dir.resolve("data")); // the volume is gone
        open();
        assertEquals(2, store.segments().size());
        assertTrue(store.segments().stream().allMatch(s -> s.state() == SegmentState.ARCHIVED));
        assertTrue(store.get(a.getFirst().id()).isPresent());
        assertTrue(store.get(b.getLast().id()).isPresent());
        assertEquals(22, scanIds(ScanSpec.ALL).size());
        assertEquals(0, store.journal().lastSeq(), "the journal restarts (a new epoch)");
        WrittenDocument next = writeN(1).getFirst();
        String lastArchived = b.getFirst().segmentId();
        assertTrue(next.segmentId().compareTo(lastArchived) > 0, next.segmentId() + " after " + lastArchived);
        store.rotate(RotationReason.MANUAL);
        clock.advance(Duration.ofHours(3));
        assertEquals(List.of(next.segmentId()), store.archiveDue());
        assertEquals(23, scanIds(ScanSpec.ALL).size(), "the old objects were not overwritten");
    }

    @Test
    void withTheStoreDownUploadsBackOffAndKeepTheLocalSegment() throws IOException {
        open();
        List<WrittenDocument> written = writeN(10);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        clock.advance(Duration.ofHours(3));
        s3.stop();
        assertEquals(List.of(), store.archiveDue());
        ColdTier cold = store.coldTier().orElseThrow();
        assertEquals(1, cold.failures());
        assertTrue(cold.problem().isPresent());
        assertEquals(SegmentState.SEALED, store.segment(id).orElseThrow().state());
        assertTrue(Files.exists(dir.resolve("data").resolve(id + ".seg")));
        assertTrue(store.get(written.getFirst().id()).isPresent(), "still served locally");
        assertTrue(events().stream().noneMatch(e -> e.type() == LifecycleEventType.SEGMENT_ARCHIVED));
        assertEquals(List.of(), store.archiveDue(), "backing off: no new try yet");
        assertEquals(1, cold.failures());

        s3.start();
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(id), store.archiveDue());
        assertTrue(cold.problem().isEmpty());
        assertTrue(store.get(written.getFirst().id()).isPresent());
    }

    @Test
    void readsOfArchivedDocumentsFailAsUnavailableWhileTheStoreIsDownAndWorkAfter() throws IOException {
        open();
        List<WrittenDocument> old = archivedSegment(10);
        List<WrittenDocument> fresh = writeN(2);
        reopen(); // cold cache
        s3.stop();
        UUID archivedId = old.getFirst().id();
        assertThrows(ArchiveUnavailableException.class, () -> store.get(archivedId));
        try (var files = Files.walk(dir.resolve("data").resolve("cold-cache"))) {
            assertEquals(
                    List.of(), files.filter(Files::isRegularFile).toList(), "a failed fetch leaves nothing behind");
        }
        assertFalse(store.coldTier().orElseThrow().indexCached(old.getFirst().segmentId()));
        assertTrue(store.get(fresh.getFirst().id()).isPresent(), "local documents still served");
        assertThrows(ArchiveUnavailableException.class, () -> scanIds(ScanSpec.ALL));
        s3.start();
        assertTrue(store.get(archivedId).isPresent());
        assertEquals(12, scanIds(ScanSpec.ALL).size());
    }

    @Test
    void aFlippedByteInAStoredObjectsFooterIsDetectedQuarantinedAndNeverServed() throws IOException {
        open();
        List<WrittenDocument> old = archivedSegment(20);
        String id = old.getFirst().segmentId();
        reopen();
        Path object = s3.objectFile(BUCKET, key(id));
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length - 60] ^= 0x01; // the footer's documents count
        Files.write(object, bytes);

        UUID first = old.getFirst().id();
        assertThrows(CorruptSegmentException.class, () -> store.get(first));
        assertTrue(store.get(first).isEmpty(), "never served");
        assertTrue(store.segment(id).isEmpty());
        assertEquals(0, scanIds(ScanSpec.ALL).size());
        LifecycleEvent last = events().getLast();
        assertEquals(LifecycleEventType.SEGMENT_QUARANTINED, last.type());
        assertEquals(id, last.segment());
        assertTrue(last.detail().contains("footer checksum"), last.detail());
        assertTrue(last.detail().contains("left in the bucket"), last.detail());
        assertEquals(1, store.counters().corruptSegments());
        assertTrue(Files.exists(object), "the object stays for the operator");
    }

    @Test
    void anUploadInterruptedByTheStoreGoingAwayNeverShowsAndTheLocalCopyStays() throws Exception {
        // A segment large enough for a multipart upload (parts of 5 MiB): random text does not compress.
        open();
        java.util.Random random = new java.util.Random(7);
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] noise = new byte[12_000];
            random.nextBytes(noise);
            batch.add(DocumentToWrite.at(
                    TestDocuments.msgpack(
                            Map.of("blob", java.util.Base64.getEncoder().encodeToString(noise))),
                    clock.millis()));
        }
        store.write(batch);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        clock.advance(Duration.ofHours(3));
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                // Kill S3Proxy once the first part has landed (its multipart staging appears).
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && !multipartStarted(id)) {
                    Thread.sleep(5);
                }
                s3.stop();
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        List<String> archived = store.archiveDue();
        killer.join();
        assertEquals(List.of(), archived);
        s3.start();
        assertFalse(Files.exists(s3.objectFile(BUCKET, key(id))), "no object shows");
        assertEquals(SegmentState.SEALED, store.segment(id).orElseThrow().state());
        assertEquals(500, scanIds(ScanSpec.ALL).size());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(id), store.archiveDue(), "the next pass uploads it whole");
        assertTrue(
                store.segment(id).orElseThrow().sizeBytes() > ColdSettings.MIN_PART_SIZE,
                "large enough for a multipart upload");
        reopen();
        assertEquals(500, scanIds(ScanSpec.ALL).size());
    }

    /** Whether S3Proxy has stored anything of the upload yet (its parts are files named after the key). */
    private boolean multipartStarted(String id) throws IOException {
        try (var files = Files.walk(s3.baseDir().resolve(BUCKET))) {
            return files.anyMatch(p -> p.getFileName().toString().contains(id));
        }
    }
}
