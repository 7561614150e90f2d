package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.Scrubber;
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
import java.time.Duration;
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
 * Scrubbing finds damage before any client reads it, reports it as a read would (damaged records
 * journaled and counted, a damaged index quarantined), visits the least recently verified
 * segments first, and journals nothing twice.
 */
class ScrubbingTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private Path dir;
    private MutableClock clock;
    private SegmentStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("scrub");
        clock = new MutableClock(T0);
        store = SegmentStore.open(
                StoreConfig.builder(dir.resolve("data")).minFreeDisk(0).build(), clock);
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
        TestFiles.deleteRecursively(dir);
    }

    private record Sealed(String segment, List<UUID> ids) {}

    private Sealed seal(int n) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(DocumentToWrite.at(TestDocuments.msgpack(Map.of("n", i, "pad", "x".repeat(i))), clock.millis()));
        }
        List<UUID> ids = store.write(batch).stream().map(WrittenDocument::id).toList();
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        // The background compaction rewrites the sealed file (format v2): damage goes into the file it leaves.
        assertTrue(store.compaction().awaitIdle(java.time.Duration.ofSeconds(60)));
        return new Sealed(id, ids);
    }

    private Path file(Sealed sealed) {
        return dir.resolve("data").resolve(sealed.segment() + ".seg");
    }

    @Test
    void aPassFindsDamageBeforeAnyReadAndReportsItAsAReadWould() throws IOException {
        Sealed clean = seal(20);
        Sealed records = seal(20);
        Sealed index = seal(20);
        SegmentDamage.flip(file(records), records.ids().get(5), 0, 30);
        SegmentDamage.flip(file(records), records.ids().get(6), 0, 30);
        SegmentDamage.flip(file(index), index.ids().get(2), 1, 4);
        assertTrue(store.scrubber().lastFullPassMillis().isEmpty());

        Scrubber.Pass pass = store.scrubber().pass(0);

        assertTrue(pass.complete());
        assertEquals(3, pass.segments());
        assertEquals(2, pass.damagedRecords());
        assertEquals(1, pass.quarantined());
        assertTrue(pass.bytes() > 0 && pass.bytes() == store.scrubber().bytesVerified(), pass.toString());
        assertEquals(clock.millis(), store.scrubber().lastFullPassMillis().orElseThrow());
        List<LifecycleEvent> damaged = StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED);
        assertEquals(1, damaged.size());
        assertEquals(records.segment(), damaged.getFirst().segment());
        assertEquals(records.ids().subList(5, 7), damaged.getFirst().ids());
        assertEquals(
                List.of(index.segment()),
                StoreReads.events(store, LifecycleEventType.SEGMENT_QUARANTINED).stream()
                        .map(LifecycleEvent::segment)
                        .toList());
        assertEquals(2, store.counters().damagedRecords());
        assertEquals(1, store.counters().corruptSegments());

        // Clients then get exactly what the scrubber found, and nothing is journaled again.
        assertThrows(
                DocumentDamagedException.class, () -> store.get(records.ids().get(5)));
        assertThrows(DocumentDamagedException.class, () -> store.get(index.ids().get(0)));
        assertTrue(store.get(records.ids().get(7)).isPresent());
        assertTrue(store.get(clean.ids().get(0)).isPresent());
        Scrubber.Pass again = store.scrubber().pass(0);
        assertEquals(2, again.segments());
        assertEquals(0, again.damagedRecords());
        assertEquals(
                1,
                StoreReads.events(store, LifecycleEventType.DOCUMENTS_DAMAGED).size());
        assertEquals(
                1,
                StoreReads.events(store, LifecycleEventType.SEGMENT_QUARANTINED).size());
    }

    @Test
    void theLeastRecentlyVerifiedSegmentsComeFirst() throws IOException {
        Sealed a = seal(3);
        Sealed b = seal(3);
        assertEquals(
                List.of(a.segment(), b.segment()), store.scrubber().nextPassOrder(), "never verified: oldest first");
        store.scrubber().pass(0);
        clock.advance(Duration.ofMinutes(1));
        Sealed c = seal(3);
        assertEquals(
                List.of(c.segment(), a.segment(), b.segment()),
                store.scrubber().nextPassOrder(),
                "the unverified one first, then by when they were verified");
        store.evict(a.segment());
        assertFalse(store.scrubber().nextPassOrder().contains(a.segment()));
    }

    @Test
    void aPassOverNothingIsCompleteAndVerifiesNothing() {
        Scrubber.Pass pass = store.scrubber().pass(1 << 20);
        assertTrue(pass.complete());
        assertEquals(0, pass.segments());
        assertEquals(0, store.scrubber().bytesVerified());
    }
}
