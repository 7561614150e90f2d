package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.ActiveSegmentConflictException;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.lifecycle.NotSalvageableException;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.Salvager;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Salvage rewrites a damaged or quarantined segment (a sealed file, or an active file set aside
 * before recovery cut it) from its intact records, verifies it, puts it back into service under
 * its id, and journals what was lost; what cannot be salvaged changes nothing.
 */
class SalvageTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private Path dir;
    private Path data;
    private MutableClock clock;
    private SegmentStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("salvage");
        data = dir.resolve("data");
        clock = new MutableClock(T0);
        open();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private void open() throws IOException {
        store = SegmentStore.open(StoreConfig.builder(data).minFreeDisk(0).build(), clock);
    }

    private void restart() throws IOException {
        store.close();
        store = null;
        open();
    }

    private List<WrittenDocument> write(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(DocumentToWrite.at(TestDocuments.msgpack(Map.of("n", i, "msg", "doc " + i)), clock.millis()));
        }
        return store.write(batch);
    }

    private List<UUID> sealed(int n) throws IOException {
        List<UUID> ids = write(n).stream().map(WrittenDocument::id).toList();
        store.rotate(RotationReason.MANUAL).orElseThrow();
        // The background compaction rewrites the sealed file (format v2): damage goes into the file it leaves.
        assertTrue(store.compaction().awaitIdle(java.time.Duration.ofSeconds(60)));
        return ids;
    }

    private String segmentOf(UUID id) {
        return store.segments().stream()
                .filter(s -> s.mayContain(id))
                .findFirst()
                .orElseThrow()
                .id();
    }

    @Test
    void aSegmentWithDamagedRecordsIsRewrittenWithoutThemAndTheLossIsJournaled() throws IOException {
        List<UUID> ids = sealed(30);
        List<UUID> other = sealed(5);
        String segment = segmentOf(ids.getFirst());
        SegmentDamage.flip(data.resolve(segment + ".seg"), ids.get(4), 0, 30);
        SegmentDamage.flip(data.resolve(segment + ".seg"), ids.get(20), 0, 30);

        Salvager.Salvaged salvaged = store.salvage(segment);

        assertEquals(28, salvaged.kept());
        assertEquals(List.of(ids.get(4), ids.get(20)), salvaged.lost());
        assertTrue(salvaged.lossKnown());
        assertEquals(28, store.segment(segment).orElseThrow().documents());
        List<UUID> expected = new ArrayList<>(ids);
        expected.removeAll(salvaged.lost());
        expected.addAll(other);
        assertEquals(expected, StoreReads.scanAll(store));
        assertThrows(DocumentDamagedException.class, () -> store.get(ids.get(4)), "lost: damaged, not absent");
        assertTrue(store.get(ids.get(5)).isPresent());
        List<LifecycleEvent> damaged = StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED);
        assertEquals(1, damaged.size());
        assertEquals(salvaged.lost(), damaged.getFirst().ids());
        LifecycleEvent resealed =
                StoreReads.events(store, LifecycleEventType.SEGMENT_SEALED).getLast();
        assertEquals(segment, resealed.segment());
        assertEquals(28, resealed.documents());
        assertTrue(resealed.detail().contains("salvaged"), resealed.detail());

        restart();
        assertEquals(expected, StoreReads.scanAll(store), "the salvaged file is what the store opens");
        assertEquals(0, store.counters().corruptSegments());
        assertEquals(List.of(), store.quarantined());
    }

    @Test
    void aQuarantinedSegmentComesBackUnderItsIdWithEveryIntactDocument() throws IOException {
        List<UUID> ids = sealed(20);
        String segment = segmentOf(ids.getFirst());
        SegmentDamage.flip(data.resolve(segment + ".seg"), ids.get(7), 1, 2); // its index entry
        assertThrows(DocumentDamagedException.class, () -> store.get(ids.get(7)));
        assertTrue(store.segment(segment).isEmpty(), "quarantined");

        Salvager.Salvaged salvaged = store.salvage(segment);

        assertEquals(20, salvaged.kept());
        assertEquals(List.of(), salvaged.lost());
        assertFalse(salvaged.lossKnown(), "no intact index to tell");
        assertEquals(ids, StoreReads.scanAll(store));
        for (UUID id : ids) {
            assertTrue(store.get(id).isPresent());
        }
        assertTrue(Files.exists(data.resolve(segment + ".seg")));
        try (var copies = Files.list(data.resolve("quarantine"))) {
            assertEquals(1, copies.count(), "the copy stays for the operator");
        }
        restart();
        assertEquals(ids, StoreReads.scanAll(store));
    }

    @Test
    void anActiveFileCutByRecoveryGetsItsIntactRecordsAfterTheDamageBack() throws IOException {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(write(1).getFirst().id());
        }
        String segment = store.segments().getLast().id();
        Path active = data.resolve(segment + ".active");
        byte[] asWritten = Files.readAllBytes(active);
        store.close();
        store = null;
        TestFiles.deleteRecursively(data);
        Files.createDirectories(data);
        SegmentDamage.flip(asWritten, ids.get(3), 0, 30);
        Files.write(active, asWritten);
        open();
        assertEquals(
                3, store.segment(segment).orElseThrow().documents(), "recovery kept the records before the damage");

        assertTrue(store.compaction().awaitIdle(java.time.Duration.ofSeconds(60)));
        Salvager.Salvaged salvaged = store.salvage(segment);

        assertEquals(9, salvaged.kept());
        List<UUID> expected = new ArrayList<>(ids);
        expected.remove(3);
        assertEquals(expected, StoreReads.scanAll(store));
        assertEquals(9, store.segment(segment).orElseThrow().documents());
        restart();
        assertEquals(expected, StoreReads.scanAll(store));
    }

    @Test
    void whatCannotBeSalvagedIsRefusedAndChangesNothing() throws IOException {
        assertThrows(NoSuchSegmentException.class, () -> store.salvage("0000-1"));
        write(1);
        String active = store.segments().getLast().id();
        assertThrows(ActiveSegmentConflictException.class, () -> store.salvage(active));

        List<UUID> ids = sealed(5);
        String segment = segmentOf(ids.getFirst());
        Path file = data.resolve(segment + ".seg");
        store.close();
        store = null;
        byte[] content = Files.readAllBytes(file);
        content[8] ^= 0x01; // the header: unreadable id and dictionary
        Files.write(file, content);
        open();
        Path copy;
        try (var copies = Files.list(data.resolve("quarantine"))) {
            copy = copies.findFirst().orElseThrow();
        }
        byte[] before = Files.readAllBytes(copy);
        long events = store.journal().eventsAfter(0, 1000).size();

        NotSalvageableException e = assertThrows(NotSalvageableException.class, () -> store.salvage(segment));
        assertFalse(e.getMessage().contains(dir.toString()), "no server path: " + e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(copy));
        assertFalse(Files.exists(file));
        assertEquals(events, store.journal().eventsAfter(0, 1000).size());
    }
}
