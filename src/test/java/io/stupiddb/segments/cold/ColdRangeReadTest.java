package io.stupiddb.segments.cold;

import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.WrittenDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads of archived segments by ranged GETs against a real S3 server (S3Proxy, filesystem
 * backend): a get is one index fetch per segment and then one GET per document, small objects
 * and hot segments are read locally after one fetch, scans stream the records in blocks and
 * equal the scans of the same segments while they were sealed, and the index cache stays within
 * its size. Requests are counted by the client ({@link S3Objects#getRequests()}).
 */
class ColdRangeReadTest {
    @RegisterExtension
    static final ColdRanges RANGES = new ColdRanges();

    private ColdRangeFixture fx;

    @BeforeEach
    void setUp() {
        fx = RANGES.fixture();
    }

    @Test
    void aGetFetchesTheIndexOnceThenOneRangedGetPerDocument() throws IOException {
        fx.open();
        List<WrittenDocument> written = fx.sealedSegment(300);
        String id = written.getFirst().segmentId();
        assertEquals(List.of(id), fx.archiveAll());
        long objectSize = Files.size(fx.objectFile(id));
        assertTrue(objectSize > 3 * IndexFile.HEAD_GUESS, "large enough for ranges: " + objectSize);
        fx.reopen(); // the index cache starts empty
        ColdTier cold = fx.cold();
        long before = cold.getRequests();

        StoredDocument first = fx.store.get(written.get(150).id()).orElseThrow();
        assertEquals(written.get(150).timestamp(), first.timestamp());
        assertEquals(3, cold.getRequests() - before, "header + tail of the index, then the record");
        assertEquals(1, cold.downloads());
        assertTrue(cold.indexCached(id));
        long cached = cold.cacheBytes();
        assertTrue(cached < objectSize / 2, "the index, not the records: " + cached + " of " + objectSize);

        for (int i = 0; i < 300; i += 37) {
            long requests = cold.getRequests();
            assertTrue(fx.store.get(written.get(i).id()).isPresent());
            assertEquals(1, cold.getRequests() - requests, "one ranged GET for document " + i);
        }
        assertEquals(1, cold.downloads(), "the index was fetched once");
        assertEquals(cached, cold.cacheBytes(), "records are not cached");
        long requests = cold.getRequests();
        assertTrue(fx.store.get(UUID.randomUUID()).isEmpty());
        assertEquals(requests, cold.getRequests(), "an id outside every segment costs no request");
    }

    @Test
    void aHotSegmentHasItsRecordsFilledInAndIsThenReadWithoutRequests() throws Exception {
        ColdRangeFixture.Archived archived = fx.archivedAndReopened(300);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        ColdTier cold = fx.cold();
        for (int i = 0; i < ColdTier.FILL_AFTER_GETS; i++) {
            assertTrue(fx.store.get(written.get(i * 7).id()).isPresent());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cold.recordsCached(id) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the fill runs in the background
        }
        assertTrue(cold.recordsCached(id), "filled in after " + ColdTier.FILL_AFTER_GETS + " gets");
        assertEquals(Files.size(fx.objectFile(id)), cold.cacheBytes(), "the whole object is counted now");

        long requests = cold.getRequests();
        for (WrittenDocument w : written) {
            assertEquals(w.timestamp(), fx.store.get(w.id()).orElseThrow().timestamp());
        }
        assertEquals(archived.sealedScan(), ColdRangeFixture.scan(fx.store, ScanSpec.ALL));
        assertEquals(requests, cold.getRequests(), "no request once the records are local");
    }

    @Test
    void aSmallObjectIsFetchedWholeInOneGetAndThenReadWithoutRequests() throws IOException {
        ColdRangeFixture.Archived archived = fx.archivedAndReopened(20);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        assertTrue(Files.size(fx.objectFile(id)) < 2 * IndexFile.HEAD_GUESS);
        ColdTier cold = fx.cold();
        long requests = cold.getRequests();
        assertTrue(fx.store.get(written.get(3).id()).isPresent());
        assertEquals(1, cold.getRequests() - requests, "one GET of the whole object");
        assertTrue(cold.recordsCached(id));
        for (WrittenDocument w : written) {
            assertTrue(fx.store.get(w.id()).isPresent());
        }
        assertEquals(archived.sealedScan(), ColdRangeFixture.scan(fx.store, ScanSpec.ALL));
        assertEquals(1, cold.getRequests() - requests);
    }

    @Test
    void scansOfArchivedSegmentsEqualScansOfTheSameSealedSegments() throws IOException {
        fx.open();
        List<WrittenDocument> a = fx.sealedSegment(200);
        List<WrittenDocument> b = fx.sealedSegment(150);
        long from = a.get(20).timestamp();
        long to = b.get(100).timestamp();
        List<ScanSpec> specs = List.of(
                ScanSpec.ALL,
                ScanSpec.range(from, to),
                ScanSpec.ALL.after(a.get(180).id()),
                ColdRangeFixture.planned("{\"level\":\"error\"}", Long.MIN_VALUE, Long.MAX_VALUE),
                ColdRangeFixture.planned(
                        "{\"i\":{\"$gte\":170}}", Long.MIN_VALUE, Long.MAX_VALUE), // skips whole granules
                ColdRangeFixture.planned("{\"i\":{\"$lt\":5}}", from, Long.MAX_VALUE));
        List<Map<UUID, String>> sealed =
                specs.stream().map(s -> ColdRangeFixture.scan(fx.store, s)).toList();
        assertEquals(350, sealed.getFirst().size());

        assertEquals(2, fx.archiveAll().size());
        fx.reopen();
        for (int i = 0; i < specs.size(); i++) {
            Map<UUID, String> archived = ColdRangeFixture.scan(fx.store, specs.get(i));
            assertEquals(
                    sealed.get(i).keySet().stream().toList(),
                    archived.keySet().stream().toList(),
                    "spec " + i);
            assertEquals(sealed.get(i), archived, "same documents, bytes and timestamps, spec " + i);
        }
        long requests = fx.cold().getRequests();
        ColdRangeFixture.scan(fx.store, ScanSpec.ALL);
        long blocks = fx.cold().getRequests() - requests;
        long recordBytes = Files.size(fx.objectFile(a.getFirst().segmentId()))
                + Files.size(fx.objectFile(b.getFirst().segmentId()));
        assertTrue(
                blocks >= recordBytes / ColdRangeFixture.BLOCK / 2,
                "streamed in blocks of about 16 KiB: " + blocks + " GETs");
        assertTrue(
                fx.cold().cacheBytes() < recordBytes / 2,
                "scans do not fill the cache: " + fx.cold().cacheBytes());
    }

    @Test
    void theIndexCacheStaysWithinItsSizeLeastRecentlyUsedOut() throws IOException {
        fx.open();
        List<WrittenDocument> a = fx.sealedSegment(300);
        List<WrittenDocument> b = fx.sealedSegment(300);
        assertEquals(2, fx.archiveAll().size());
        fx.reopen();
        assertTrue(fx.store.get(a.getFirst().id()).isPresent());
        long oneIndex = fx.cold().cacheBytes();
        fx.store.close();
        fx.store = null;
        fx.settings = fx.settings.withCacheSize(oneIndex * 3 / 2); // room for one index of these segments, not two
        fx.open();
        ColdTier cold = fx.cold();
        assertTrue(fx.store.get(a.getFirst().id()).isPresent());
        assertEquals(oneIndex, cold.cacheBytes());
        assertTrue(fx.store.get(b.getFirst().id()).isPresent());
        assertEquals(2, cold.downloads());
        assertTrue(cold.cacheBytes() <= oneIndex * 3 / 2, "within the cache size: " + cold.cacheBytes());
        assertFalse(cold.indexCached(a.getFirst().segmentId()), "the least recently used went");
        assertTrue(cold.indexCached(b.getFirst().segmentId()));
        assertTrue(fx.store.get(a.getLast().id()).isPresent(), "fetched again when needed");
        assertEquals(3, cold.downloads());
        assertFalse(cold.indexCached(b.getFirst().segmentId()));
        try (Stream<Path> files = Files.list(fx.dir.resolve("data").resolve("cold-cache"))) {
            assertEquals(
                    List.of(a.getFirst().segmentId() + ColdCache.SUFFIX),
                    files.map(p -> p.getFileName().toString())
                            .filter(name -> name.endsWith(ColdCache.SUFFIX))
                            .toList(),
                    "evicted files deleted");
        }
    }
}
