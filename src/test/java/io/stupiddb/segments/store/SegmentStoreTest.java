package io.stupiddb.segments.store;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.ActiveSegmentConflictException;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.testing.MutableClock;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private Path dir;
    private MutableClock clock;
    private SegmentStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("store");
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
                .maxSegmentSize(1L << 20)
                .minFreeDisk(0)
                .nodeId(7)
                .build();
    }

    private SegmentStore open(StoreConfig config) throws IOException {
        store = SegmentStore.open(config, clock);
        return store;
    }

    private static DocumentToWrite doc(Map<String, Object> fields, Long timestamp) {
        byte[] source = TestDocuments.msgpack(fields);
        return timestamp == null ? DocumentToWrite.atIngestTime(source) : DocumentToWrite.at(source, timestamp);
    }

    private List<WrittenDocument> writeN(int n, long timestamp) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(doc(Map.of("n", i, "msg", "hello " + i), timestamp));
        }
        return store.write(batch);
    }

    @Test
    void writeGetScanAcrossRotationsAndRestart() throws IOException {
        open(config());
        List<WrittenDocument> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            all.addAll(writeN(10, clock.millis()));
            clock.advance(Duration.ofMinutes(61));
            store.rotateIfDue();
        }
        all.addAll(writeN(5, clock.millis()));
        assertEquals(4, store.segments().size());
        assertEquals(SegmentState.ACTIVE, store.segments().getLast().state());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(DocumentIds.compare(all.get(i - 1).id(), all.get(i).id()) < 0, "ids increase");
            assertEquals(7, DocumentIds.nodeOf(all.get(i).id()), "node id in every id");
        }
        for (WrittenDocument w : all) {
            StoredDocument stored = store.get(w.id()).orElseThrow();
            assertEquals(w.segmentId(), stored.segmentId());
        }
        assertEquals(all.stream().map(WrittenDocument::id).toList(), scanIds(ScanSpec.ALL));

        store.close();
        clock.advance(Duration.ofHours(-5)); // the clock steps back across the restart
        open(config());
        assertEquals(4, store.segments().size(), "the active segment was sealed at shutdown");
        assertTrue(store.segments().stream().allMatch(s -> s.state() == SegmentState.SEALED));
        List<WrittenDocument> more = writeN(3, clock.millis());
        assertTrue(
                DocumentIds.compare(all.getLast().id(), more.getFirst().id()) < 0,
                "ids still increase after a restart with the clock behind");
        for (WrittenDocument w : all) {
            assertTrue(store.get(w.id()).isPresent());
        }
    }

    private List<UUID> scanIds(ScanSpec spec) {
        return io.stupiddb.segments.testing.StoreScans.ids(store, spec);
    }

    @Test
    void rotationBySizeAndOnDemand() throws IOException {
        open(config());
        assertTrue(store.rotate(RotationReason.MANUAL).isEmpty(), "nothing to seal");
        byte[] pad = new byte[10_000];
        new java.util.Random(1).nextBytes(pad); // incompressible
        for (int i = 0; i < 150; i++) {
            store.write(List.of(doc(Map.of("pad", pad), null)));
        }
        assertTrue(store.segments().size() >= 2, "rotated when the 1 MiB size was reached");
        assertTrue(store.segments().stream()
                .filter(s -> s.state() == SegmentState.SEALED)
                .allMatch(s -> s.sizeBytes() < (1L << 20) + 20_000));
        assertEquals(store.segments().size() - 1, store.counters().rotations(RotationReason.SIZE));
        SegmentInfo sealed = store.rotate(RotationReason.MANUAL).orElseThrow();
        assertEquals(SegmentState.SEALED, sealed.state());
        assertEquals(1, store.counters().rotations(RotationReason.MANUAL));
    }

    @Test
    void retentionByTimeAndSizeEvictsOldestAndJournalsFirst() throws IOException {
        StoreConfig base = config();
        open(base.toBuilder()
                .retention(Duration.ofDays(2))
                .maxTotalSize(3 * 1024)
                .compression(Codec.NONE)
                .fsync(DurabilityMode.NEVER)
                .nodeId(0)
                .build());
        List<String> segments = new ArrayList<>();
        for (int day = 0; day < 4; day++) {
            writeN(10, clock.millis());
            segments.add(store.rotate(RotationReason.MANUAL).orElseThrow().id());
            clock.advance(Duration.ofDays(1));
        }
        // Now = T0 + 4d; retention 2d: segments with max timestamp < T0 + 2d go (days 0 and 1).
        long before = Files.size(
                store.segments().getFirst().sizeBytes() > 0
                        ? dir.resolve("data").resolve(segments.get(0) + ".seg")
                        : dir);
        assertTrue(before > 0);
        List<String> evicted = store.enforceRetention();
        assertEquals(segments.subList(0, 2), evicted.subList(0, 2));
        assertFalse(Files.exists(dir.resolve("data").resolve(segments.get(0) + ".seg")), "file gone at once");
        assertFalse(Files.exists(dir.resolve("data").resolve(segments.get(0) + ".seg.deleted")));
        long total = store.segments().stream().mapToLong(SegmentInfo::sizeBytes).sum();
        assertTrue(total <= 3 * 1024, "size cap holds: " + total);
        List<LifecycleEvent> events = store.journal().eventsAfter(0, 100);
        assertTrue(events.stream()
                .anyMatch(e -> e.type() == LifecycleEventType.SEGMENT_EVICTED
                        && e.segment().equals(segments.get(0))
                        && e.reason() == EvictionReason.RETENTION));
        assertEquals(2, store.counters().evictions(EvictionReason.RETENTION));
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).seq() + 1, events.get(i).seq(), "no gaps");
        }
    }

    @Test
    void manualEvictionRejectsTheActiveSegmentAndUnknownIds() throws IOException {
        open(config());
        List<WrittenDocument> first = writeN(5, clock.millis());
        String sealed = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        writeN(5, clock.millis());
        String active = store.segments().getLast().id();
        assertThrows(ActiveSegmentConflictException.class, () -> store.evict(active));
        assertThrows(NoSuchSegmentException.class, () -> store.evict("0007-0000000000001"));
        store.evict(sealed);
        assertTrue(store.get(first.getFirst().id()).isEmpty());
        assertEquals(1, store.segments().size());
        store.close();
        open(config());
        assertEquals(1, store.segments().size(), "an evicted segment stays evicted after restart");
    }

    @Test
    void archivedSegmentsStayQueryableAndSurviveRestart() throws IOException {
        StoreConfig base = config();
        StoreConfig archiving = base.toBuilder()
                .archiveAfter(Duration.ofHours(2))
                .archiveDir(dir.resolve("cold"))
                .nodeId(0)
                .build();
        open(archiving);
        List<WrittenDocument> written = writeN(50, clock.millis());
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        assertEquals(List.of(), store.archiveDue(), "too young");
        clock.advance(Duration.ofHours(3));
        assertEquals(List.of(id), store.archiveDue());
        SegmentInfo info = store.segment(id).orElseThrow();
        assertEquals(SegmentState.ARCHIVED, info.state());
        assertEquals(19, info.level());
        assertTrue(Files.exists(dir.resolve("cold").resolve(id + ".seg")));
        assertFalse(Files.exists(dir.resolve("data").resolve(id + ".seg")));
        for (WrittenDocument w : written) {
            assertTrue(store.get(w.id()).isPresent());
        }
        assertEquals(written.size(), scanIds(ScanSpec.ALL).size());
        store.close();
        open(archiving);
        assertEquals(SegmentState.ARCHIVED, store.segment(id).orElseThrow().state());
        assertEquals(written.size(), scanIds(ScanSpec.ALL).size());
        assertTrue(store.journal().eventsAfter(0, 100).stream()
                .anyMatch(e -> e.type() == LifecycleEventType.SEGMENT_ARCHIVED
                        && e.segment().equals(id)));
    }

    @Test
    void aCorruptSegmentIsQuarantinedAtStartAndTheRestIsServed() throws IOException {
        open(config());
        List<WrittenDocument> a = writeN(5, clock.millis());
        String bad = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        List<WrittenDocument> b = writeN(5, clock.millis());
        store.close();
        Path file = dir.resolve("data").resolve(bad + ".seg");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 0x01; // footer
        Files.write(file, bytes);
        open(config());
        assertFalse(Files.exists(file));
        assertEquals(1, store.quarantined().size());
        assertEquals(1, store.counters().corruptSegments());
        // Never served, and never "absent" either: its footer is unreadable, so its documents are
        // known by the gap between its neighbours' id ranges.
        assertThrows(
                DocumentDamagedException.class, () -> store.get(a.getFirst().id()), "never served");
        assertTrue(store.get(b.getFirst().id()).isPresent());
        assertTrue(store.journal().eventsAfter(0, 100).stream()
                .anyMatch(e -> e.type() == LifecycleEventType.SEGMENT_QUARANTINED
                        && e.segment().equals(bad)));
        try (var files = Files.list(dir.resolve("data").resolve("quarantine"))) {
            assertEquals(1, files.count());
        }
    }

    /**
     * A bad record with intact ones after it in an active file is damage, not a torn append:
     * recovery still keeps only the records before it (SPEC §7), but first copies the file as
     * found to quarantine/, journals, counts and reports it.
     */
    @Test
    void aDamagedActiveSegmentIsCopiedToQuarantineBeforeRecoveryCutsIt() throws IOException {
        open(config());
        List<WrittenDocument> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            written.addAll(writeN(1, clock.millis()));
        }
        String id = written.getFirst().segmentId();
        Path active = dir.resolve("data").resolve(id + ".active");
        byte[] asWritten = Files.readAllBytes(active); // what a crash would leave (fsync always)
        store.close();
        store = null;
        TestFiles.deleteRecursively(dir.resolve("data"));
        Files.createDirectories(dir.resolve("data"));
        long fourth = recordOffsets(asWritten, 10).get(3);
        byte[] damaged = asWritten.clone();
        damaged[(int) fourth + 40] ^= 0x10; // inside the 4th record's payload
        Files.write(active, damaged);

        open(config());
        Path quarantine = dir.resolve("data").resolve("quarantine");
        List<Path> copies;
        try (var files = Files.list(quarantine)) {
            copies = files.toList();
        }
        assertEquals(1, copies.size());
        assertArrayEquals(damaged, Files.readAllBytes(copies.getFirst()), "the file as found, byte for byte");
        assertEquals(1, store.counters().corruptSegments());
        assertEquals(1, store.quarantined().size());
        assertTrue(
                store.quarantined().getFirst().contains("6 intact record(s) after it"),
                store.quarantined().toString());
        LifecycleEvent event = store.journal().eventsAfter(0, 10).stream()
                .filter(e -> e.type() == LifecycleEventType.SEGMENT_QUARANTINED)
                .findFirst()
                .orElseThrow();
        assertEquals(id, event.segment());
        assertEquals(6, event.documents());
        for (int i = 0; i < 10; i++) {
            assertEquals(i < 3, store.get(written.get(i).id()).isPresent(), "document " + i);
        }
    }

    @Test
    void aTornAppendInAnActiveSegmentIsCutWithoutACopy() throws IOException {
        open(config());
        List<WrittenDocument> written = writeN(5, clock.millis());
        Path active = dir.resolve("data").resolve(written.getFirst().segmentId() + ".active");
        byte[] asWritten = Files.readAllBytes(active);
        store.close();
        store = null;
        TestFiles.deleteRecursively(dir.resolve("data"));
        Files.createDirectories(dir.resolve("data"));
        Files.write(active, Arrays.copyOf(asWritten, asWritten.length - 7)); // the last record torn
        open(config());
        try (var files = Files.list(dir.resolve("data").resolve("quarantine"))) {
            assertEquals(0, files.count());
        }
        assertEquals(0, store.counters().corruptSegments());
        assertEquals(
                4,
                written.stream()
                        .filter(w -> {
                            try {
                                return store.get(w.id()).isPresent();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                        .count());
    }

    /** Record offsets from the frame length fields, after the header (whose length is its own field). */
    private static List<Long> recordOffsets(byte[] file, int records) {
        long at = io.stupiddb.segments.format.SegmentHeader.decode(
                        java.lang.foreign.MemorySegment.ofArray(file), Path.of("x"))
                .encodedLength();
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            offsets.add(at);
            at += 8 + (java.nio.ByteBuffer.wrap(file, (int) at, 4).getInt() & 0xFFFFFFFFL);
        }
        assertEquals(file.length, at);
        return offsets;
    }

    @Test
    void aRecordCorruptedAfterStartMakesOnlyItsDocumentUnreadable() throws IOException {
        open(config());
        List<WrittenDocument> a = writeN(5, clock.millis());
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        assertTrue(store.compaction().awaitIdle(Duration.ofSeconds(60)));
        // Damage the mapped file's record area under the running store (bit rot).
        Path file = dir.resolve("data").resolve(id + ".seg");
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55}), 200);
        }
        assertThrows(DocumentDamagedException.class, () -> {
            for (WrittenDocument w : a) {
                store.get(w.id());
            }
        });
        assertTrue(store.segment(id).isPresent(), "the segment stays in service");
        assertEquals(0, store.counters().corruptSegments());
        assertEquals(1, store.damagedRecords().count(id));
        int served = 0;
        for (WrittenDocument w : a) {
            served += readable(w.id()) ? 1 : 0;
        }
        assertEquals(4, served, "the other documents are served");
    }

    private boolean readable(UUID id) throws IOException {
        try {
            return store.get(id).isPresent();
        } catch (DocumentDamagedException e) {
            return false;
        }
    }

    @Test
    void oneStorePerDirectory() throws IOException {
        open(config());
        assertThrows(StoreLockedException.class, () -> SegmentStore.open(config(), clock));
    }

    @Test
    void documentsAreValidatedAsAWholeBatchBeforeAnythingIsWritten() throws IOException {
        open(config());
        long now = clock.millis();
        List<DocumentToWrite> batch = List.of(
                doc(Map.of("a", 1), now),
                doc(Map.of("a", 2), now - Duration.ofDays(31).toMillis()));
        DocumentRejectedException old = assertThrows(DocumentRejectedException.class, () -> store.write(batch));
        assertEquals(1, old.index());
        assertEquals(DocumentRejectedException.Kind.TIMESTAMP_TOO_OLD, old.kind());
        DocumentRejectedException future = assertThrows(
                DocumentRejectedException.class,
                () -> store.write(
                        List.of(doc(Map.of("a", 1), now + Duration.ofHours(2).toMillis()))));
        assertEquals(DocumentRejectedException.Kind.TIMESTAMP_IN_FUTURE, future.kind());
        DocumentRejectedException big = assertThrows(
                DocumentRejectedException.class,
                () -> store.write(List.of(doc(Map.of("pad", new byte[2 << 20]), now))));
        assertEquals(DocumentRejectedException.Kind.TOO_LARGE, big.kind());
        assertThrows(
                DocumentRejectedException.class,
                () -> store.write(List.of(DocumentToWrite.at(new byte[] {(byte) 0x93, 1, 2, 3}, now))));
        assertTrue(store.segments().isEmpty() || store.segments().getFirst().documents() == 0, "nothing written");
        assertEquals(0, store.counters().documentsWritten());
        WrittenDocument ok = store.write(List.of(doc(Map.of("a", 1), null))).getFirst();
        assertEquals(now, ok.timestamp(), "no timestamp: the ingest time");
    }

    @Test
    void writesAreRefusedBelowMinFreeDiskAndReadsGoOn() throws IOException {
        StoreConfig base = config();
        open(base);
        WrittenDocument w = writeN(1, clock.millis()).getFirst();
        store.close();
        open(base.toBuilder().minFreeDisk(Long.MAX_VALUE).build());
        assertThrows(InsufficientStorageException.class, () -> writeN(1, clock.millis()));
        assertTrue(store.belowMinFreeDisk());
        assertTrue(store.get(w.id()).isPresent());
    }

    @Test
    void timeRangeScansSkipSegmentsAndPagesResumeAfterTheLastId() throws IOException {
        open(config());
        List<WrittenDocument> all = new ArrayList<>();
        for (int hour = 0; hour < 5; hour++) {
            all.addAll(writeN(20, clock.millis()));
            store.rotate(RotationReason.MANUAL);
            clock.advance(Duration.ofHours(1));
        }
        long from = T0.plus(Duration.ofHours(1)).toEpochMilli();
        long to = T0.plus(Duration.ofHours(3)).toEpochMilli();
        List<UUID> expected = all.stream()
                .filter(w -> w.timestamp() >= from && w.timestamp() < to)
                .map(WrittenDocument::id)
                .toList();
        assertEquals(40, expected.size());
        List<UUID> paged = new ArrayList<>();
        UUID after = null;
        int pages = 0;
        do {
            ScanSpec spec = new ScanSpec(from, to, after, RecordFilter.ALL);
            ScanPage page = store.page(spec, 7);
            page.documents().forEach(d -> paged.add(d.id()));
            after = page.next();
            pages++;
            if (pages == 3) {
                store.enforceRetention(); // nothing old enough; and a rotation between pages is harmless
                writeN(3, clock.millis());
                store.rotate(RotationReason.MANUAL);
            }
        } while (after != null);
        assertEquals(expected, paged);
        assertEquals(6, pages);
    }

    @Test
    void aCursorIntoAnEvictedSegmentContinuesWithTheNextOne() throws IOException {
        open(config());
        List<WrittenDocument> first = writeN(10, clock.millis());
        String firstSegment = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        List<WrittenDocument> second = writeN(10, clock.millis());
        store.rotate(RotationReason.MANUAL);
        ScanPage page = store.page(ScanSpec.ALL, 5);
        assertEquals(first.get(4).id(), page.next());
        store.evict(firstSegment);
        ScanPage next = store.page(ScanSpec.ALL.after(page.next()), 100);
        assertEquals(
                second.stream().map(WrittenDocument::id).toList(),
                next.documents().stream().map(StoredDocument::id).toList());
        assertArrayEquals(
                TestDocuments.msgpack(Map.of("n", 0, "msg", "hello 0")),
                next.documents().getFirst().source());
    }
}
