package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.DocumentDamagedException;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.ScanPage;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.S3ProxyServer;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads of archived segments by ranged GETs against a real S3 server (S3Proxy, filesystem
 * backend): a get is one index fetch per segment and then one GET per document, scans stream the
 * records in blocks and equal the scans of the same segments while they were sealed, the index
 * cache stays within its size, damage is confined as the format's checks allow, and an outage
 * mid-scan fails the scan or, with partial, names the segments left out. Requests are counted by
 * the client ({@link S3Objects#getRequests()}); blocks are 16 KiB so that a segment is many blocks.
 */
class ColdRangeReadTest {
    private static final String BUCKET = "ranges";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final long BLOCK = 16 * 1024;
    private static S3ProxyServer s3;

    private Path dir;
    private MutableClock clock;
    private SegmentStore store;
    private ColdSettings settings;
    private final Random random = new Random(11);

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
        dir = Files.createTempDirectory("cold-ranges");
        clock = new MutableClock(T0);
        settings = s3.settings(BUCKET, 64L << 20)
                .withPrefix("r" + PREFIXES.incrementAndGet() + "/")
                .withScanBlockSize(BLOCK);
    }

    @AfterEach
    void tearDown() throws IOException {
        s3.start(); // tests that stop it leave it stopped on failure
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private void open() throws IOException {
        store = SegmentStore.open(
                StoreConfig.builder(dir.resolve("data"))
                        .minFreeDisk(0)
                        .nodeId(4)
                        .archiveAfter(Duration.ofHours(2))
                        .retention(Duration.ofDays(30))
                        // "blob" would be a column of 1 KiB strings: as large as the records
                        .columns(ColumnSettings.DEFAULT.withGranuleRows(64).withPaths(List.of(), List.of("blob")))
                        .coldTier(settings)
                        .build(),
                clock);
    }

    private void reopen() throws IOException {
        store.close();
        store = null;
        open();
    }

    private ColdTier cold() {
        return store.coldTier().orElseThrow();
    }

    /**
     * Writes {@code n} documents (about 1 KiB each of incompressible text, so the object is far
     * larger than its index) into a segment of their own and seals it.
     */
    private List<WrittenDocument> sealedSegment(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] noise = new byte[768];
            random.nextBytes(noise);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("i", i);
            doc.put("level", i % 3 == 0 ? "error" : "info");
            doc.put("blob", Base64.getEncoder().encodeToString(noise));
            batch.add(DocumentToWrite.at(TestDocuments.msgpack(doc), clock.millis() + i));
        }
        List<WrittenDocument> written = store.write(batch);
        store.rotate(RotationReason.MANUAL).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        return written;
    }

    private List<String> archiveAll() throws IOException {
        clock.advance(Duration.ofHours(3));
        return store.archiveDue();
    }

    /** One segment's documents, its id, and what a scan returned while it was sealed. */
    private record Archived(List<WrittenDocument> written, String id, Map<UUID, String> sealedScan) {}

    /** Opens the store, seals {@code n} documents, scans them, archives them and reopens (empty cache). */
    private Archived archivedAndReopened(int n) throws IOException {
        open();
        List<WrittenDocument> written = sealedSegment(n);
        Map<UUID, String> sealed = scan(store, ScanSpec.ALL);
        assertEquals(1, archiveAll().size());
        reopen();
        return new Archived(written, written.getFirst().segmentId(), sealed);
    }

    private static Map<UUID, String> scan(SegmentStore store, ScanSpec spec) {
        Map<UUID, String> found = new LinkedHashMap<>();
        try (DocumentCursor cursor = store.scan(spec)) {
            while (cursor.advance()) {
                StoredDocument doc = cursor.document();
                found.put(
                        doc.id(),
                        doc.timestamp() + " " + doc.segmentId() + " "
                                + HexFormat.of().formatHex(doc.source()));
            }
        }
        return found;
    }

    private static ScanSpec planned(String json, long from, long to) {
        Filter filter = Filter.parse(json);
        return new ScanSpec(from, to, null, filter::matches, Optional.of(BlockPlanner.compile(json)));
    }

    private Path objectFile(String segmentId) {
        return s3.objectFile(BUCKET, settings.key(4, segmentId));
    }

    /** Offset in the object of the {@code ordinal}-th record, read from the object's own index. */
    private long recordOffset(String segmentId, long ordinal) throws IOException {
        Path copy = dir.resolve(segmentId + ".seg");
        Files.copy(objectFile(segmentId), copy);
        try (SealedSegment sealed = SealedSegment.open(copy, SegmentState.ARCHIVED)) {
            byte[] bytes = Files.readAllBytes(copy);
            return SegmentIndex.entryOffset(
                    MemorySegment.ofArray(bytes), sealed.footer().indexOffset(), ordinal);
        } finally {
            Files.delete(copy);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(offset)] ^= 0x10;
        Files.write(file, bytes);
    }

    private List<LifecycleEvent> events() throws IOException {
        return store.journal().eventsAfter(0, 1000);
    }

    @Test
    void aGetFetchesTheIndexOnceThenOneRangedGetPerDocument() throws IOException {
        open();
        List<WrittenDocument> written = sealedSegment(300);
        String id = written.getFirst().segmentId();
        assertEquals(List.of(id), archiveAll());
        long objectSize = Files.size(objectFile(id));
        assertTrue(objectSize > 3 * IndexFile.HEAD_GUESS, "large enough for ranges: " + objectSize);
        reopen(); // the index cache starts empty
        ColdTier cold = cold();
        long before = cold.getRequests();

        StoredDocument first = store.get(written.get(150).id()).orElseThrow();
        assertEquals(written.get(150).timestamp(), first.timestamp());
        assertEquals(3, cold.getRequests() - before, "header + tail of the index, then the record");
        assertEquals(1, cold.downloads());
        assertTrue(cold.indexCached(id));
        long cached = cold.cacheBytes();
        assertTrue(cached < objectSize / 2, "the index, not the records: " + cached + " of " + objectSize);

        for (int i = 0; i < 300; i += 37) {
            long requests = cold.getRequests();
            assertTrue(store.get(written.get(i).id()).isPresent());
            assertEquals(1, cold.getRequests() - requests, "one ranged GET for document " + i);
        }
        assertEquals(1, cold.downloads(), "the index was fetched once");
        assertEquals(cached, cold.cacheBytes(), "records are not cached");
        long requests = cold.getRequests();
        assertTrue(store.get(UUID.randomUUID()).isEmpty());
        assertEquals(requests, cold.getRequests(), "an id outside every segment costs no request");
    }

    @Test
    void aHotSegmentHasItsRecordsFilledInAndIsThenReadWithoutRequests() throws Exception {
        Archived archived = archivedAndReopened(300);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        ColdTier cold = cold();
        for (int i = 0; i < ColdTier.FILL_AFTER_GETS; i++) {
            assertTrue(store.get(written.get(i * 7).id()).isPresent());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cold.recordsCached(id) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the fill runs in the background
        }
        assertTrue(cold.recordsCached(id), "filled in after " + ColdTier.FILL_AFTER_GETS + " gets");
        assertEquals(Files.size(objectFile(id)), cold.cacheBytes(), "the whole object is counted now");

        long requests = cold.getRequests();
        for (WrittenDocument w : written) {
            assertEquals(w.timestamp(), store.get(w.id()).orElseThrow().timestamp());
        }
        assertEquals(archived.sealedScan(), scan(store, ScanSpec.ALL));
        assertEquals(requests, cold.getRequests(), "no request once the records are local");
    }

    @Test
    void aSmallObjectIsFetchedWholeInOneGetAndThenReadWithoutRequests() throws IOException {
        Archived archived = archivedAndReopened(20);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        assertTrue(Files.size(objectFile(id)) < 2 * IndexFile.HEAD_GUESS);
        ColdTier cold = cold();
        long requests = cold.getRequests();
        assertTrue(store.get(written.get(3).id()).isPresent());
        assertEquals(1, cold.getRequests() - requests, "one GET of the whole object");
        assertTrue(cold.recordsCached(id));
        for (WrittenDocument w : written) {
            assertTrue(store.get(w.id()).isPresent());
        }
        assertEquals(archived.sealedScan(), scan(store, ScanSpec.ALL));
        assertEquals(1, cold.getRequests() - requests);
    }

    @Test
    void scansOfArchivedSegmentsEqualScansOfTheSameSealedSegments() throws IOException {
        open();
        List<WrittenDocument> a = sealedSegment(200);
        List<WrittenDocument> b = sealedSegment(150);
        long from = a.get(20).timestamp();
        long to = b.get(100).timestamp();
        List<ScanSpec> specs = List.of(
                ScanSpec.ALL,
                ScanSpec.range(from, to),
                ScanSpec.ALL.after(a.get(180).id()),
                planned("{\"level\":\"error\"}", Long.MIN_VALUE, Long.MAX_VALUE),
                planned("{\"i\":{\"$gte\":170}}", Long.MIN_VALUE, Long.MAX_VALUE), // skips whole granules
                planned("{\"i\":{\"$lt\":5}}", from, Long.MAX_VALUE));
        List<Map<UUID, String>> sealed = specs.stream().map(s -> scan(store, s)).toList();
        assertEquals(350, sealed.getFirst().size());

        assertEquals(2, archiveAll().size());
        reopen();
        for (int i = 0; i < specs.size(); i++) {
            Map<UUID, String> archived = scan(store, specs.get(i));
            assertEquals(
                    sealed.get(i).keySet().stream().toList(),
                    archived.keySet().stream().toList(),
                    "spec " + i);
            assertEquals(sealed.get(i), archived, "same documents, bytes and timestamps, spec " + i);
        }
        long requests = cold().getRequests();
        scan(store, ScanSpec.ALL);
        long blocks = cold().getRequests() - requests;
        long recordBytes = Files.size(objectFile(a.getFirst().segmentId()))
                + Files.size(objectFile(b.getFirst().segmentId()));
        assertTrue(blocks >= recordBytes / BLOCK / 2, "streamed in blocks of about 16 KiB: " + blocks + " GETs");
        assertTrue(cold().cacheBytes() < recordBytes / 2, "scans do not fill the cache: " + cold().cacheBytes());
    }

    @Test
    void theIndexCacheStaysWithinItsSizeLeastRecentlyUsedOut() throws IOException {
        open();
        List<WrittenDocument> a = sealedSegment(300);
        List<WrittenDocument> b = sealedSegment(300);
        assertEquals(2, archiveAll().size());
        reopen();
        assertTrue(store.get(a.getFirst().id()).isPresent());
        long oneIndex = cold().cacheBytes();
        store.close();
        store = null;
        settings = settings.withCacheSize(oneIndex * 3 / 2); // room for one index of these segments, not two
        open();
        ColdTier cold = cold();
        assertTrue(store.get(a.getFirst().id()).isPresent());
        assertEquals(oneIndex, cold.cacheBytes());
        assertTrue(store.get(b.getFirst().id()).isPresent());
        assertEquals(2, cold.downloads());
        assertTrue(cold.cacheBytes() <= oneIndex * 3 / 2, "within the cache size: " + cold.cacheBytes());
        assertFalse(cold.indexCached(a.getFirst().segmentId()), "the least recently used went");
        assertTrue(cold.indexCached(b.getFirst().segmentId()));
        assertTrue(store.get(a.getLast().id()).isPresent(), "fetched again when needed");
        assertEquals(3, cold.downloads());
        assertFalse(cold.indexCached(b.getFirst().segmentId()));
        try (Stream<Path> files = Files.list(dir.resolve("data").resolve("cold-cache"))) {
            assertEquals(
                    List.of(a.getFirst().segmentId() + ColdCache.SUFFIX),
                    files.map(p -> p.getFileName().toString())
                            .filter(name -> name.endsWith(ColdCache.SUFFIX))
                            .toList(),
                    "evicted files deleted");
        }
    }

    @Test
    void aFlippedByteInOneRecordDamagesThatDocumentOnly() throws IOException {
        Archived archived = archivedAndReopened(120);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        UUID victim = written.get(57).id();
        flipByte(objectFile(id), recordOffset(id, 57) + 60); // inside its payload

        DocumentDamagedException damage = assertThrows(DocumentDamagedException.class, () -> store.get(victim));
        assertEquals(victim, damage.documentId());
        assertTrue(store.get(written.get(56).id()).isPresent(), "its neighbours are served");
        assertTrue(store.get(written.get(58).id()).isPresent());
        LifecycleEvent event = events().stream()
                .filter(e -> e.type() == LifecycleEventType.DOCUMENTS_DAMAGED)
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(victim), event.ids());
        assertEquals(SegmentState.ARCHIVED, store.segment(id).orElseThrow().state(), "not quarantined");

        List<UUID> expected =
                new ArrayList<>(written.stream().map(WrittenDocument::id).toList());
        expected.remove(victim);
        assertEquals(expected, scan(store, ScanSpec.ALL).keySet().stream().toList(), "the scan goes on after it");
        assertEquals(
                1,
                events().stream()
                        .filter(e -> e.type() == LifecycleEventType.DOCUMENTS_DAMAGED)
                        .count());
        assertTrue(store.quarantined().isEmpty());
    }

    @Test
    void aFlippedByteInTheIdIndexQuarantinesTheSegmentAndNothingOfItIsServed() throws IOException {
        Archived archived = archivedAndReopened(120);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        Path object = objectFile(id);
        Path copy = dir.resolve(id + ".seg");
        Files.copy(object, copy);
        long indexOffset;
        try (SealedSegment sealed = SealedSegment.open(copy, SegmentState.ARCHIVED)) {
            indexOffset = sealed.footer().indexOffset();
        }
        flipByte(object, indexOffset + 24 * 30 + 3); // an id in the index

        assertThrows(RuntimeException.class, () -> store.get(written.get(5).id()));
        assertTrue(store.segment(id).isEmpty(), "out of service");
        assertEquals(List.of(), scan(store, ScanSpec.ALL).keySet().stream().toList());
        assertEquals(1, store.quarantined().size());
        assertEquals(LifecycleEventType.SEGMENT_QUARANTINED, events().getLast().type());
        assertTrue(
                events().getLast().detail().contains("index checksum"),
                events().getLast().detail());
    }

    @Test
    void theStoreGoingDownMidScanFailsTheScanOrWithPartialLeavesTheRestOutAndNamesIt() throws IOException {
        open();
        List<WrittenDocument> a = sealedSegment(200);
        List<WrittenDocument> fresh = new ArrayList<>();
        archiveAll();
        fresh.addAll(store.write(List.of(DocumentToWrite.at(TestDocuments.msgpack(Map.of("i", -1)), clock.millis()))));
        reopen();

        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            assertTrue(cursor.advance());
            s3.stop();
            assertThrows(ArchiveUnavailableException.class, () -> {
                while (cursor.advance()) {
                    // until the next block is needed
                }
            });
        }
        List<UUID> partial = new ArrayList<>();
        s3.start();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL, true)) {
            assertTrue(cursor.advance());
            partial.add(cursor.id());
            s3.stop();
            while (cursor.advance()) {
                partial.add(cursor.id());
            }
        }
        assertTrue(partial.size() < 201, "the rest of the archived segment was left out: " + partial.size());
        assertEquals(fresh.getFirst().id(), partial.getLast(), "the local segment after it is still read");

        // With the index cached and the bucket down, a page names what it left out.
        ScanPage page = store.page(ScanSpec.ALL, 10, true);
        assertEquals(List.of(a.getFirst().segmentId()), page.skipped());
        assertEquals(
                List.of(fresh.getFirst().id()),
                page.documents().stream().map(StoredDocument::id).toList());
        assertThrows(ArchiveUnavailableException.class, () -> store.page(ScanSpec.ALL, 10, false));

        s3.start();
        ScanPage whole = store.page(ScanSpec.ALL, 1000, true);
        assertEquals(List.of(), whole.skipped());
        assertEquals(201, whole.documents().size());
    }
}
