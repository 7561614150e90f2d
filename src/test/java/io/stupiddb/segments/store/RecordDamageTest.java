package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** Flips one bit of the {@code occurrence}-th copy of the id's 16 bytes (0: its record, 1: its index entry), {@code delta} bytes on. */
    private static void damage(Path file, UUID id, int occurrence, int delta) throws IOException {
        byte[] content = Files.readAllBytes(file);
        byte[] idBytes = ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
        int at = -1;
        int seen = 0;
        for (int i = 0; i + 16 <= content.length; i++) {
            if (Arrays.equals(content, i, i + 16, idBytes, 0, 16) && seen++ == occurrence) {
                at = i + delta;
                break;
            }
        }
        assertTrue(at >= 0, "the id is in the file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (content[at] ^ 0x10)}), at);
        }
    }

    /** The payload of the record: after the id (16), timestamp (8) and raw length (4). */
    private static void damageRecord(Path file, UUID id) throws IOException {
        damage(file, id, 0, 16 + 8 + 4 + 1);
    }

    private List<UUID> scanAll() {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    private List<LifecycleEvent> events(LifecycleEventType type) throws IOException {
        return store.journal().eventsAfter(0, 1000).stream()
                .filter(e -> e.type() == type)
                .toList();
    }

    @Test
    void aDamagedRecordMakesExactlyItsDocumentUnreadableAndTheRestStaysInService() throws IOException {
        open();
        List<UUID> ids = sealedSegmentOf(50);
        UUID lost = ids.get(17);
        String segment = segmentOf(lost);
        damageRecord(fileOf(lost), lost);

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
        assertEquals(expected, scanAll(), "a scan skips the damaged document only");
        assertThrows(DocumentDamagedException.class, () -> store.get(lost), "again: damaged, not absent");

        assertEquals(1, store.segments().size(), "the segment stays in service");
        assertEquals(0, store.counters().corruptSegments());
        assertEquals(1, store.counters().damagedRecords());
        assertEquals(1, store.damagedRecords().count(segment));
        assertEquals(Map.of(segment, 1), store.damagedRecords().counts());
        List<LifecycleEvent> damaged = events(LifecycleEventType.DOCUMENTS_DAMAGED);
        assertEquals(1, damaged.size(), "one event, however many reads met the damage: " + damaged);
        assertEquals(segment, damaged.getFirst().segment());
        assertEquals(List.of(lost), damaged.getFirst().ids());
        assertEquals(1, damaged.getFirst().documents());
        assertTrue(events(LifecycleEventType.SEGMENT_QUARANTINED).isEmpty());
    }

    @Test
    void theFirstReadThatMeetsDamageFindsEveryDamagedRecordOfTheSegmentInOneEvent() throws IOException {
        open();
        List<UUID> ids = sealedSegmentOf(40);
        Path file = fileOf(ids.getFirst());
        List<UUID> lost = List.of(ids.get(3), ids.get(21), ids.get(39));
        for (UUID id : lost) {
            damageRecord(file, id);
        }
        assertThrows(DocumentDamagedException.class, () -> store.get(lost.get(1)));

        List<LifecycleEvent> damaged = events(LifecycleEventType.DOCUMENTS_DAMAGED);
        assertEquals(1, damaged.size());
        assertEquals(lost, damaged.getFirst().ids());
        assertEquals(3, store.counters().damagedRecords());
        for (UUID id : lost) {
            assertThrows(DocumentDamagedException.class, () -> store.get(id));
        }
        assertEquals(37, scanAll().size());
        assertEquals(1, events(LifecycleEventType.DOCUMENTS_DAMAGED).size(), "nothing journaled twice");
    }

    @Test
    void aScanMeetsTheDamageFirstAndReportsItTheSameWay() throws IOException {
        open();
        List<UUID> ids = sealedSegmentOf(10);
        UUID lost = ids.getLast();
        damageRecord(fileOf(lost), lost);
        assertEquals(ids.subList(0, 9), scanAll());
        assertEquals(
                List.of(lost),
                events(LifecycleEventType.DOCUMENTS_DAMAGED).getFirst().ids());
        assertThrows(DocumentDamagedException.class, () -> store.get(lost));
    }

    @Test
    void aDamagedIndexQuarantinesTheSegmentButItsDocumentsNeverReadAsAbsentAlsoAfterRestart() throws IOException {
        open();
        List<UUID> first = sealedSegmentOf(10);
        List<UUID> second = sealedSegmentOf(10);
        String segment = segmentOf(first.get(4));
        damage(fileOf(first.get(4)), first.get(4), 1, 3); // its index entry

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
        assertEquals(second, scanAll());
        assertTrue(
                store.get(new UUID(second.getLast().getMostSignificantBits() + 1, 0))
                        .isEmpty(),
                "an id no segment held is still simply absent");
    }
}
