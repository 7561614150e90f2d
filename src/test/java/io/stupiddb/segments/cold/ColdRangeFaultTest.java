package io.stupiddb.segments.cold;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.DocumentDamagedException;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.ScanPage;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.S3ProxyServer;
import io.stupiddb.segments.testing.TestDocuments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of reads by ranged GETs against a real S3 server (S3Proxy): a byte changed in one record
 * of an object costs that document only, one changed in its id index takes the segment out of
 * service, and the bucket going away in the middle of a scan fails the scan or, with partial,
 * leaves the rest out and names the segments left out.
 */
class ColdRangeFaultTest {
    @RegisterExtension
    static final ColdRanges RANGES = new ColdRanges();

    private ColdRangeFixture fx;
    private S3ProxyServer s3;

    @BeforeEach
    void setUp() {
        fx = RANGES.fixture();
        s3 = RANGES.s3();
    }

    @Test
    void aFlippedByteInOneRecordDamagesThatDocumentOnly() throws IOException {
        ColdRangeFixture.Archived archived = fx.archivedAndReopened(120);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        UUID victim = written.get(57).id();
        ColdRangeFixture.flipByte(fx.objectFile(id), fx.recordOffset(id, 57) + 60); // inside its payload

        DocumentDamagedException damage = assertThrows(DocumentDamagedException.class, () -> fx.store.get(victim));
        assertEquals(victim, damage.documentId());
        assertTrue(fx.store.get(written.get(56).id()).isPresent(), "its neighbours are served");
        assertTrue(fx.store.get(written.get(58).id()).isPresent());
        LifecycleEvent event = fx.events().stream()
                .filter(e -> e.type() == LifecycleEventType.DOCUMENTS_DAMAGED)
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(victim), event.ids());
        assertEquals(SegmentState.ARCHIVED, fx.store.segment(id).orElseThrow().state(), "not quarantined");

        List<UUID> expected =
                new ArrayList<>(written.stream().map(WrittenDocument::id).toList());
        expected.remove(victim);
        assertEquals(
                expected,
                ColdRangeFixture.scan(fx.store, ScanSpec.ALL).keySet().stream().toList(),
                "the scan goes on after it");
        assertEquals(
                1,
                fx.events().stream()
                        .filter(e -> e.type() == LifecycleEventType.DOCUMENTS_DAMAGED)
                        .count());
        assertTrue(fx.store.quarantined().isEmpty());
    }

    @Test
    void aFlippedByteInTheIdIndexQuarantinesTheSegmentAndNothingOfItIsServed() throws IOException {
        ColdRangeFixture.Archived archived = fx.archivedAndReopened(120);
        List<WrittenDocument> written = archived.written();
        String id = archived.id();
        Path object = fx.objectFile(id);
        Path copy = fx.dir.resolve(id + ".seg");
        Files.copy(object, copy);
        long indexOffset;
        try (SealedSegment sealed = SealedSegment.open(copy, SegmentState.ARCHIVED)) {
            indexOffset = sealed.footer().indexOffset();
        }
        ColdRangeFixture.flipByte(object, indexOffset + 24 * 30 + 3); // an id in the index

        assertThrows(RuntimeException.class, () -> fx.store.get(written.get(5).id()));
        assertTrue(fx.store.segment(id).isEmpty(), "out of service");
        assertEquals(
                List.of(),
                ColdRangeFixture.scan(fx.store, ScanSpec.ALL).keySet().stream().toList());
        assertEquals(1, fx.store.quarantined().size());
        assertEquals(
                LifecycleEventType.SEGMENT_QUARANTINED, fx.events().getLast().type());
        assertTrue(
                fx.events().getLast().detail().contains("index checksum"),
                fx.events().getLast().detail());
    }

    @Test
    void theStoreGoingDownMidScanFailsTheScanOrWithPartialLeavesTheRestOutAndNamesIt() throws IOException {
        fx.open();
        List<WrittenDocument> a = fx.sealedSegment(200);
        List<WrittenDocument> fresh = new ArrayList<>();
        fx.archiveAll();
        fresh.addAll(
                fx.store.write(List.of(DocumentToWrite.at(TestDocuments.msgpack(Map.of("i", -1)), fx.clock.millis()))));
        fx.reopen();

        try (DocumentCursor cursor = fx.store.scan(ScanSpec.ALL)) {
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
        try (DocumentCursor cursor = fx.store.scan(ScanSpec.ALL, true)) {
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
        ScanPage page = fx.store.page(ScanSpec.ALL, 10, true);
        assertEquals(List.of(a.getFirst().segmentId()), page.skipped());
        assertEquals(
                List.of(fresh.getFirst().id()),
                page.documents().stream().map(StoredDocument::id).toList());
        assertThrows(ArchiveUnavailableException.class, () -> fx.store.page(ScanSpec.ALL, 10, false));

        s3.start();
        ScanPage whole = fx.store.page(ScanSpec.ALL, 1000, true);
        assertEquals(List.of(), whole.skipped());
        assertEquals(201, whole.documents().size());
    }
}
