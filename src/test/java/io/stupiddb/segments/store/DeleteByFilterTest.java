package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.Tombstones;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deletes by filter on one store (SPEC §11): hiding, journaling, durability, reclaiming. */
class DeleteByFilterTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private Path dir;
    private MutableClock clock;
    private SegmentStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("deletes");
        clock = new MutableClock(T0);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private StoreConfig config() {
        return StoreConfig.builder(dir.resolve("data"))
                .minFreeDisk(0)
                .fsync(DurabilityMode.NEVER)
                .archiveAfter(Duration.ofMinutes(30))
                .nodeId(3)
                .build();
    }

    private void open() throws IOException {
        store = SegmentStore.open(config(), clock);
    }

    private void restart() throws IOException {
        store.close();
        store = null;
        open();
    }

    /** Writes n documents, every third one {@code "level":"error"}, into the active segment. */
    private List<WrittenDocument> write(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(DocumentToWrite.at(
                    TestDocuments.msgpack(Map.of("n", i, "level", i % 3 == 0 ? "error" : "info")), clock.millis()));
        }
        return store.write(batch);
    }

    private static ScanSpec errors() {
        return ScanSpec.filtered(Filter.parse("{\"level\":\"error\"}")::matches);
    }

    private List<UUID> scanIds() {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    private List<LifecycleEvent> events(LifecycleEventType type) throws IOException {
        return store.journal().eventsAfter(0, 100_000).stream()
                .filter(e -> e.type() == type)
                .toList();
    }

    private static List<UUID> errorIds(List<WrittenDocument> written) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < written.size(); i += 3) {
            ids.add(written.get(i).id());
        }
        return ids;
    }

    @Test
    void deletedDocumentsVanishFromGetsAndScansAtOnceAndAfterRestart() throws IOException {
        open();
        List<WrittenDocument> sealed = write(30);
        store.rotate(RotationReason.MANUAL);
        List<WrittenDocument> active = write(9);
        List<UUID> gone = new ArrayList<>(errorIds(sealed));
        gone.addAll(errorIds(active));

        DeleteResult result = store.delete(errors());

        assertEquals(gone.size(), result.deleted());
        assertEquals(
                List.of(
                        new DeleteResult.SegmentDeletion(sealed.getFirst().segmentId(), 10),
                        new DeleteResult.SegmentDeletion(active.getFirst().segmentId(), 3)),
                result.segments());
        List<UUID> expected = new ArrayList<>();
        sealed.forEach(w -> expected.add(w.id()));
        active.forEach(w -> expected.add(w.id()));
        expected.removeAll(gone);
        for (UUID id : gone) {
            assertTrue(store.get(id).isEmpty());
        }
        assertEquals(expected, scanIds());
        assertEquals(0, store.delete(errors()).deleted(), "a second delete finds nothing left");

        restart();
        for (UUID id : gone) {
            assertTrue(store.get(id).isEmpty(), "resurrected after restart: " + id);
        }
        assertEquals(expected, scanIds());
    }

    @Test
    void theJournalListsTheIdsPerSegmentAtMostTenThousandAnEvent() throws IOException {
        open();
        List<WrittenDocument> written = write(LifecycleEvent.MAX_IDS + 5);
        store.delete(ScanSpec.ALL);
        List<LifecycleEvent> deleted = events(LifecycleEventType.DOCUMENTS_DELETED);
        assertEquals(2, deleted.size());
        assertEquals(LifecycleEvent.MAX_IDS, deleted.get(0).ids().size());
        assertEquals(5, deleted.get(1).documents());
        List<UUID> journaled = new ArrayList<>(deleted.get(0).ids());
        journaled.addAll(deleted.get(1).ids());
        assertEquals(written.stream().map(WrittenDocument::id).toList(), journaled);
        restart();
        assertEquals(2, events(LifecycleEventType.DOCUMENTS_DELETED).size(), "not journaled twice after a restart");
    }

    @Test
    void aRewriteGivesTheSpaceBackUnderTheSameIdAndJournalsIt() throws IOException {
        open();
        List<WrittenDocument> written = write(300);
        SegmentInfo before = store.rotate(RotationReason.MANUAL).orElseThrow();
        store.delete(errors());

        // The delete also woke the background reclaimer; reclaiming is one pass at a time, so
        // once this returns the segment is rewritten, by either.
        store.reclaimDeleted();

        SegmentInfo after = store.segment(before.id()).orElseThrow();
        assertEquals(SegmentState.SEALED, after.state());
        assertEquals(200, after.documents());
        assertTrue(after.sizeBytes() < before.sizeBytes(), after.sizeBytes() + " < " + before.sizeBytes());
        assertEquals(0, store.deleteProgress().pendingIn(before.id()));
        assertEquals(100, store.deleteProgress().reclaimedDocuments());
        LifecycleEvent rewritten = events(LifecycleEventType.SEGMENT_REWRITTEN).getFirst();
        assertEquals(200, rewritten.documents());
        assertEquals("documents before 300, after 200", rewritten.detail());
        assertFalse(Files.exists(dir.resolve("data").resolve(before.id() + Tombstones.SUFFIX)));
        List<UUID> kept = new ArrayList<>();
        written.forEach(w -> kept.add(w.id()));
        kept.removeAll(errorIds(written));
        assertEquals(kept, scanIds());
        restart();
        assertEquals(kept, scanIds());
        assertEquals(200, store.segment(before.id()).orElseThrow().documents());
    }

    @Test
    void aSegmentLeftWithoutDocumentsIsEvicted() throws IOException {
        open();
        write(5);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        store.delete(ScanSpec.ALL);
        store.reclaimDeleted();
        assertTrue(store.segment(id).isEmpty());
        LifecycleEvent evicted = events(LifecycleEventType.SEGMENT_EVICTED).getFirst();
        assertEquals(id, evicted.segment());
        assertEquals(EvictionReason.MANUAL, evicted.reason());
        assertEquals(0, events(LifecycleEventType.SEGMENT_REWRITTEN).getFirst().documents());
    }

    @Test
    void deletesInTheActiveSegmentAreReclaimedOnceItIsSealed() throws IOException {
        open();
        List<WrittenDocument> written = write(30);
        String id = written.getFirst().segmentId();
        store.delete(errors());
        assertEquals(List.of(), store.reclaimDeleted(), "the active segment is not rewritten");
        assertEquals(10, store.deleteProgress().pendingIn(id));
        store.rotate(RotationReason.MANUAL);
        store.reclaimDeleted();
        assertEquals(20, store.segment(id).orElseThrow().documents());
        assertEquals(0, store.deleteProgress().pendingIn(id));
    }

    @Test
    void archivedSegmentsKeepTheirDeletesAndAreRewrittenInTheArchive() throws IOException {
        open();
        List<WrittenDocument> written = write(30);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(id), store.archiveDue());
        store.delete(errors());
        for (UUID gone : errorIds(written)) {
            assertTrue(store.get(gone).isEmpty(), "still readable from the archive: " + gone);
        }
        restart();
        assertEquals(20, scanIds().size());
        store.reclaimDeleted();
        SegmentInfo info = store.segment(id).orElseThrow();
        assertEquals(SegmentState.ARCHIVED, info.state());
        assertEquals(20, info.documents());
        try (var left = Files.list(dir.resolve("data").resolve("archive").resolve("rewrite"))) {
            assertEquals(0, left.count(), "the archive's rewrite directory is emptied");
        }
    }

    @Test
    void overlappingConcurrentDeletesDeleteAndJournalEachDocumentOnce() throws Exception {
        open();
        List<WrittenDocument> written = write(3000);
        store.rotate(RotationReason.MANUAL);
        List<java.util.concurrent.Future<DeleteResult>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> store.delete(errors())));
            }
        }
        long deleted = 0;
        for (var result : results) {
            deleted += result.get().deleted();
        }
        assertEquals(1000, deleted, "each error document counted by one delete");
        List<UUID> journaled = new ArrayList<>();
        events(LifecycleEventType.DOCUMENTS_DELETED).forEach(e -> journaled.addAll(e.ids()));
        assertEquals(1000, journaled.size());
        assertEquals(new HashSet<>(errorIds(written)), new HashSet<>(journaled));
    }

    @Test
    void aScanOpenAcrossTheDeleteAndTheRewriteNeverReturnsADeletedDocument() throws IOException {
        open();
        List<WrittenDocument> written = write(300);
        store.rotate(RotationReason.MANUAL);
        Set<UUID> gone = new HashSet<>(errorIds(written));
        List<UUID> seen = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            for (int i = 0; i < 10 && cursor.advance(); i++) {
                seen.add(cursor.id()); // the cursor now holds the original mapping
            }
            store.delete(errors());
            store.reclaimDeleted();
            while (cursor.advance()) {
                assertFalse(gone.contains(cursor.id()), "deleted document read from the old mapping");
                seen.add(cursor.id());
            }
        }
        assertEquals(300 - 100 + 4, seen.size(), "the 10 read before the delete held 4 error documents");
    }

    @Test
    void aTornTombstoneTailIsCutAndIdsMissingFromTheJournalAreJournaledAtStartUp() throws IOException {
        open();
        List<WrittenDocument> written = write(30);
        String id = written.getFirst().segmentId();
        store.delete(errors());
        Path tombstone = dir.resolve("data").resolve(id + Tombstones.SUFFIX);
        long journaled = Files.size(tombstone);
        store.close();
        store = null;
        // The file as a crash between the tombstone and the journal leaves it: the journaled mark
        // (9 bytes) is gone, and half a frame of a delete that was never acknowledged follows.
        try (FileChannel channel = FileChannel.open(tombstone, StandardOpenOption.WRITE)) {
            channel.truncate(journaled - 9);
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 5, 1, 2}), journaled - 9);
        }
        open();
        Set<UUID> hidden = new HashSet<>(errorIds(written));
        assertEquals(20, scanIds().size());
        scanIds().forEach(seen -> assertFalse(hidden.contains(seen)));
        List<LifecycleEvent> deleted = events(LifecycleEventType.DOCUMENTS_DELETED);
        assertEquals(2, deleted.size(), "journaled again after the lost mark");
        assertEquals(deleted.get(0).ids(), deleted.get(1).ids());
        assertEquals(journaled, Files.size(tombstone), "torn tail cut, journaled mark written again");
    }
}
