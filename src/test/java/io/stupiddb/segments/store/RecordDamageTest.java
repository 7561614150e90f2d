package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.SegmentDamage;
import io.stupiddb.segments.testing.StoreReads;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage is contained at the granularity at which it exists: a damaged record makes exactly its
 * document unreadable (never "not found"), the rest of the segment stays in service, and the
 * journal names the lost documents once; a damaged index quarantines the segment, whose
 * documents still never read as absent, also after a restart.
 */
class RecordDamageTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private Path dir;
    private MutableClock clock;
    private SegmentStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("damage");
        clock = new MutableClock(T0);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private void open() throws IOException {
        store = SegmentStore.open(
                StoreConfig.builder(dir.resolve("data")).minFreeDisk(0).build(), clock);
    }

    /** Writes {@code n} documents into one segment and seals it. */
    private List<UUID> sealedSegmentOf(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(DocumentToWrite.at(TestDocuments.msgpack(Map.of("n", i, "msg", "hello " + i)), clock.millis()));
        }
        List<UUID> ids = store.write(batch).stream().map(WrittenDocument::id).toList();
        store.rotate(RotationReason.MANUAL).orElseThrow();
        // The background compaction rewrites the sealed file (format v2): damage goes into the file it leaves.
        assertTrue(store.compaction().awaitIdle(java.time.Duration.ofSeconds(60)));
        return ids;
    }

    private Path fileOf(UUID id) {
        String segment = store.segments().stream()
                .filter(s -> s.mayContain(id))
                .findFirst()
                .orElseThrow()
                .id();
        return dir.resolve("data").resolve(segment + ".seg");
    }

    private String segmentOf(UUID id) {
        return fileOf(id).getFileName().toString().replace(".seg", "");
    }

    @Test
    void aDamagedRecordMakesExactlyItsDocumentUnreadableAndTheRestStaysInService() throws IOException {
        open();
        List<UUID> ids = sealedSegmentOf(50);
        UUID lost = ids.get(17);
        String segment = segmentOf(lost);
        SegmentDamage.damageRecord(fileOf(lost), lost);

        DocumentDamagedException e = assertThrows(DocumentDamagedException.class, () -> store.get(lost));
        assertEquals(lost, e.documentId());
        assertEquals(segment, e.segmentId());
        assertFalse(e.getMessage().contains("/"), "no path: " + e.getMessage());
        for (UUID id : ids) {
            if (!id.equals(lost)) {
                assertTrue(store.get(id).isPresent(), "intact document " + id + " is served");
            }
        }
        List<UUID> expected = new ArrayList<>(ids);
        expected.remove(lost);
        assertEquals(expected, StoreReads.scanAll(store), "a scan skips the damaged document only");
        assertThrows(DocumentDamagedException.class, () -> store.get(lost), "again: damaged, not absent");

        assertEquals(1, store.segments().size(), "the segment stays in service");
        assertEquals(0, store.counters().corruptSegments());
        assertEquals(1, store.counters().damagedRecords());
        assertEquals(1, store.damagedRecords().count(segment));
        assertEquals(Map.of(segment, 1), store.damagedRecords().counts());
        List<LifecycleEvent> damaged = StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED);
        assertEquals(1, damaged.size(), "one event, however many reads met the damage: " + damaged);
        assertEquals(segment, damaged.getFirst().segment());
        assertEquals(List.of(lost), damaged.getFirst().ids());
        assertEquals(1, damaged.getFirst().documents());
        assertTrue(
                StoreReads.events(store, LifecycleEventType.SEGMENT_QUARANTINED).isEmpty());
    }

    @Test
    void theFirstReadThatMeetsDamageFindsEveryDamagedRecordOfTheSegmentInOneEvent() throws IOException {
        open();
        List<UUID> ids = sealedSegmentOf(40);
        Path file = fileOf(ids.getFirst());
        List<UUID> lost = List.of(ids.get(3), ids.get(21), ids.get(39));
        for (UUID id : lost) {
            SegmentDamage.damageRecord(file, id);
        }
        assertThrows(DocumentDamagedException.class, () -> store.get(lost.get(1)));

        List<LifecycleEvent> damaged = StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED);
        assertEquals(1, damaged.size());
        assertEquals(lost, damaged.getFirst().ids());
        assertEquals(3, store.counters().damagedRecords());
        for (UUID id : lost) {
            assertThrows(DocumentDamagedException.class, () -> store.get(id));
        }
        assertEquals(37, StoreReads.scanAll(store).size());
        assertEquals(
                1,
                StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED).size(),
                "nothing journaled twice");
    }

    @Test
    void aScanMeetsTheDamageFirstAndReportsItTheSameWay() throws IOException {
        open();
        List<UUID> ids = sealedSegmentOf(10);
        UUID lost = ids.getLast();
        SegmentDamage.damageRecord(fileOf(lost), lost);
        assertEquals(ids.subList(0, 9), StoreReads.scanAll(store));
        assertEquals(
                List.of(lost),
                StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED)
                        .getFirst()
                        .ids());
        assertThrows(DocumentDamagedException.class, () -> store.get(lost));
    }

    @Test
    void aDamagedIndexQuarantinesTheSegmentButItsDocumentsNeverReadAsAbsentAlsoAfterRestart() throws IOException {
        open();
        List<UUID> first = sealedSegmentOf(10);
        List<UUID> second = sealedSegmentOf(10);
        String segment = segmentOf(first.get(4));
        SegmentDamage.flip(fileOf(first.get(4)), first.get(4), 1, 3); // its index entry

        DocumentDamagedException e = assertThrows(DocumentDamagedException.class, () -> store.get(first.get(4)));
        assertEquals(segment, e.segmentId());
        assertEquals(1, store.counters().corruptSegments());
        assertEquals(1, store.segments().size(), "the segment is out of service");
        for (UUID id : first) {
            assertThrows(DocumentDamagedException.class, () -> store.get(id), "never 404");
        }
        for (UUID id : second) {
            assertTrue(store.get(id).isPresent());
        }
        store.close();
        store = null;
        open();
        for (UUID id : first) {
            assertThrows(DocumentDamagedException.class, () -> store.get(id), "never 404 after a restart");
        }
        assertEquals(second, StoreReads.scanAll(store));
        assertTrue(
                store.get(new UUID(second.getLast().getMostSignificantBits() + 1, 0))
                        .isEmpty(),
                "an id no segment held is still simply absent");
    }

    @Test
    void aSegmentQuarantinedWithAnUnreadableFooterStillNeverAnswersAbsentForItsDocuments() throws IOException {
        open();
        List<UUID> first = sealedSegmentOf(10);
        List<UUID> second = sealedSegmentOf(10);
        List<UUID> third = sealedSegmentOf(10);
        String segment = segmentOf(second.get(0));
        Path file = fileOf(second.get(0));
        store.close();
        store = null;
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 0x01; // the footer: the file's id range is unreadable
        java.nio.file.Files.write(file, bytes);
        for (int restart = 0; restart < 2; restart++) {
            open(); // quarantined at start-up, then remembered from quarantine/ after a restart
            assertEquals(2, store.segments().size());
            for (UUID id : second) {
                DocumentDamagedException e =
                        assertThrows(DocumentDamagedException.class, () -> store.get(id), "never 404");
                assertEquals(segment, e.segmentId());
            }
            for (UUID id : first) {
                assertTrue(store.get(id).isPresent());
            }
            for (UUID id : third) {
                assertTrue(store.get(id).isPresent());
            }
            assertTrue(
                    store.get(new UUID(third.getLast().getMostSignificantBits() + 1, 0))
                            .isEmpty(),
                    "an id after every segment is simply absent");
            assertTrue(store.get(new UUID(1, 1)).isEmpty(), "an id before every segment is simply absent");
            store.close();
            store = null;
        }
    }

    @Test
    void anArchivedSegmentIsContainedScrubbedAndSalvagedInTheArchive() throws IOException {
        store = SegmentStore.open(
                StoreConfig.builder(dir.resolve("data"))
                        .minFreeDisk(0)
                        .archiveAfter(java.time.Duration.ofHours(1))
                        .archiveDir(dir.resolve("cold"))
                        .build(),
                clock);
        List<UUID> ids = sealedSegmentOf(30);
        String segment = segmentOf(ids.getFirst());
        clock.advance(java.time.Duration.ofHours(2));
        assertEquals(List.of(segment), store.archiveDue());
        Path archived = dir.resolve("cold").resolve(segment + ".seg");
        SegmentDamage.damageRecord(archived, ids.get(11));

        assertEquals(1, store.scrubber().pass(0).damagedRecords(), "scrubbing reads the archive too");
        assertThrows(DocumentDamagedException.class, () -> store.get(ids.get(11)));
        assertTrue(store.get(ids.get(12)).isPresent());
        assertEquals(
                List.of(ids.get(11)),
                StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED)
                        .getFirst()
                        .ids());

        assertEquals(29, store.salvage(segment).kept());
        assertEquals(SegmentState.ARCHIVED, store.segment(segment).orElseThrow().state(), "still archived");
        assertTrue(Files.exists(archived), "salvaged in place, in the archive");
        assertFalse(Files.exists(dir.resolve("data").resolve(segment + ".seg")));
        assertEquals(29, StoreReads.scanAll(store).size());
    }
}
