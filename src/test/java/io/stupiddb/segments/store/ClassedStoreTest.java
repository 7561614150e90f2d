package io.stupiddb.segments.store;

import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DocumentCursor;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention classes (SPEC §12): a store per class, one id order, one journal. */
class ClassedStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final RetentionClasses DEBUG_AUDIT = new RetentionClasses(
            "retention",
            List.of(
                    new RetentionClass("debug", Duration.ofDays(1), OptionalLong.empty()),
                    new RetentionClass("audit", Duration.ofDays(400), OptionalLong.empty())));

    private Path dir;
    private MutableClock clock;
    private ClassedStore store;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("classed");
        clock = new MutableClock(T0);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private StoreConfig config(RetentionClasses classes) {
        return StoreConfig.builder(dir.resolve("data"))
                .minFreeDisk(0)
                .nodeId(3)
                .retentionClasses(classes)
                .build();
    }

    private ClassedStore open(RetentionClasses classes) throws IOException {
        store = ClassedStore.open(config(classes), clock);
        return store;
    }

    private void reopen(RetentionClasses classes) throws IOException {
        store.close();
        store = null;
        open(classes);
    }

    private static DocumentToWrite doc(int n, Object retention, long timestamp) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("n", n);
        if (retention != null) {
            fields.put("retention", retention);
        }
        fields.put("msg", "hello " + n);
        return DocumentToWrite.at(TestDocuments.msgpack(fields), timestamp);
    }

    private List<UUID> scanIds(ScanSpec spec) {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(spec)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    private String classOfSegment(UUID id) throws IOException {
        String segment = store.get(id).orElseThrow().segmentId();
        return store.retentionClassOf(segment).orElseThrow();
    }

    @Test
    void documentsLandInTheirClassesSegmentsAndReadBackInOneIdOrder() throws IOException {
        open(DEBUG_AUDIT);
        long now = clock.millis();
        List<WrittenDocument> written = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            written.addAll(store.write(List.of(
                    doc(0, "debug", now),
                    doc(1, null, now),
                    doc(2, "audit", now),
                    doc(3, "default", now),
                    doc(4, 7, now), // not a string: names no class
                    doc(5, "debug", now))));
            store.rotate(RotationReason.MANUAL);
        }
        List<String> expected = List.of("debug", "default", "audit", "default", "default", "debug");
        for (int i = 0; i < written.size(); i++) {
            assertEquals(expected.get(i % 6), classOfSegment(written.get(i).id()), "document " + i);
        }
        for (int i = 1; i < written.size(); i++) {
            assertTrue(
                    DocumentIds.compare(written.get(i - 1).id(), written.get(i).id()) < 0, "ids increase");
        }
        assertEquals(written.stream().map(WrittenDocument::id).toList(), scanIds(ScanSpec.ALL), "merged in id order");
        assertTrue(Files.isDirectory(dir.resolve("data/classes/debug")));
        assertTrue(Files.isDirectory(dir.resolve("data/classes/audit")));
        for (WrittenDocument w : written) { // no cold tier: every get reads local files only
            assertFalse(store.getMayFetchRemotely(w.id()));
        }

        // Three rotations of three classes in the same millisecond: still nine distinct segment ids.
        List<ClassedStore.ClassedSegment> segments = store.classedSegments();
        assertEquals(9, segments.size());
        assertEquals(9, segments.stream().map(s -> s.info().id()).distinct().count());
        assertEquals(
                Map.of("default", 3L, "debug", 3L, "audit", 3L),
                segments.stream()
                        .collect(java.util.stream.Collectors.groupingBy(
                                ClassedStore.ClassedSegment::retentionClass, java.util.stream.Collectors.counting())));

        // Paging walks the merged order without gaps or repeats.
        List<UUID> paged = new ArrayList<>();
        ScanSpec spec = ScanSpec.ALL;
        while (true) {
            ScanPage page = store.page(spec, 4);
            page.documents().forEach(d -> paged.add(d.id()));
            if (page.next() == null) {
                break;
            }
            spec = spec.after(page.next());
        }
        assertEquals(scanIds(ScanSpec.ALL), paged);

        // A filter spans the classes.
        List<UUID> debugOnes = scanIds(ScanSpec.filtered(Filter.parse("{\"retention\":\"debug\"}")::matches));
        assertEquals(6, debugOnes.size());
    }

    @Test
    void theSegmentsOfEachClassAreSortedAndTheActiveOnesLast() throws IOException {
        open(DEBUG_AUDIT);
        store.write(List.of(doc(0, "audit", clock.millis()), doc(1, null, clock.millis())));
        store.rotate(RotationReason.MANUAL);
        clock.advance(Duration.ofSeconds(1));
        store.write(List.of(doc(2, "debug", clock.millis()), doc(3, "audit", clock.millis())));
        List<SegmentInfo> segments = store.segments();
        assertEquals(4, segments.size());
        assertEquals(SegmentState.SEALED, segments.get(0).state());
        assertEquals(SegmentState.SEALED, segments.get(1).state());
        assertEquals(SegmentState.ACTIVE, segments.get(2).state());
        assertEquals(SegmentState.ACTIVE, segments.get(3).state());
        assertTrue(segments.get(0).id().compareTo(segments.get(1).id()) < 0);
    }

    @Test
    void anUnknownClassRejectsTheWholeBatchNamingTheDocument() throws IOException {
        open(DEBUG_AUDIT);
        long now = clock.millis();
        DocumentRejectedException e = assertThrows(
                DocumentRejectedException.class,
                () -> store.write(List.of(doc(0, "debug", now), doc(1, null, now), doc(2, "forever", now))));
        assertEquals(DocumentRejectedException.Kind.UNKNOWN_RETENTION_CLASS, e.kind());
        assertEquals(2, e.index());
        assertTrue(e.getMessage().contains("'forever'"), e.getMessage());
        assertTrue(e.getMessage().contains("default, debug, audit"), e.getMessage());
        assertEquals(List.of(), store.segments(), "nothing of the batch was written");
        assertEquals(List.of(), scanIds(ScanSpec.ALL));
    }

    @Test
    void theFirstBadDocumentIsReportedWhicheverRuleItBreaks() throws IOException {
        open(DEBUG_AUDIT);
        long twoDaysAgo = clock.millis() - Duration.ofDays(2).toMillis();
        DocumentRejectedException e = assertThrows(
                DocumentRejectedException.class,
                () -> store.write(
                        List.of(doc(0, null, clock.millis()), doc(1, "debug", twoDaysAgo), doc(2, "nope", 0))));
        assertEquals(1, e.index(), e.getMessage());
        assertEquals(DocumentRejectedException.Kind.TIMESTAMP_TOO_OLD, e.kind());
        e = assertThrows(
                DocumentRejectedException.class,
                () -> store.write(List.of(doc(0, "nope", 0), doc(1, "debug", twoDaysAgo))));
        assertEquals(0, e.index(), e.getMessage());
        assertEquals(DocumentRejectedException.Kind.UNKNOWN_RETENTION_CLASS, e.kind());
        assertEquals(List.of(), store.segments());
    }

    @Test
    void timestampsAreCheckedAgainstTheDocumentsOwnClass() throws IOException {
        open(DEBUG_AUDIT);
        long twoDaysAgo = clock.millis() - Duration.ofDays(2).toMillis();
        // Two days old: fine for the default class (30d) and audit (400d), too old for debug (1d).
        List<WrittenDocument> ok = store.write(List.of(doc(0, null, twoDaysAgo), doc(1, "audit", twoDaysAgo)));
        assertEquals(2, ok.size());
        DocumentRejectedException e = assertThrows(
                DocumentRejectedException.class,
                () -> store.write(
                        List.of(doc(0, "audit", twoDaysAgo), doc(1, null, twoDaysAgo), doc(2, "debug", twoDaysAgo))));
        assertEquals(DocumentRejectedException.Kind.TIMESTAMP_TOO_OLD, e.kind());
        assertEquals(2, e.index(), "the index in the whole batch, not in its class's part");
        assertEquals(2, scanIds(ScanSpec.ALL).size(), "nothing of the rejected batch was written");

        long hundredDaysAgo = clock.millis() - Duration.ofDays(100).toMillis();
        assertEquals(1, store.write(List.of(doc(0, "audit", hundredDaysAgo))).size());
        e = assertThrows(DocumentRejectedException.class, () -> store.write(List.of(doc(0, null, hundredDaysAgo))));
        assertEquals(DocumentRejectedException.Kind.TIMESTAMP_TOO_OLD, e.kind());
    }

    @Test
    void eachClassAgesOutUnderItsOwnRetentionAndEveryEvictionIsInTheOneJournal() throws IOException {
        open(DEBUG_AUDIT);
        long now = clock.millis();
        WrittenDocument debug = store.write(List.of(doc(0, "debug", now))).getFirst();
        WrittenDocument plain = store.write(List.of(doc(1, null, now))).getFirst();
        WrittenDocument audit = store.write(List.of(doc(2, "audit", now))).getFirst();
        store.rotate(RotationReason.MANUAL);

        clock.advance(Duration.ofDays(2));
        List<String> evicted = store.enforceRetention();
        assertEquals(List.of(debug.segmentId()), evicted);
        assertTrue(store.get(debug.id()).isEmpty());
        assertTrue(store.get(plain.id()).isPresent());
        assertTrue(store.get(audit.id()).isPresent());

        clock.advance(Duration.ofDays(30));
        assertEquals(List.of(plain.segmentId()), store.enforceRetention());
        assertTrue(store.get(audit.id()).isPresent());

        List<LifecycleEvent> events = store.journal().eventsAfter(0, 100);
        Set<String> sealed = new HashSet<>();
        List<String> evictions = new ArrayList<>();
        for (LifecycleEvent event : events) {
            if (event.type() == LifecycleEventType.SEGMENT_SEALED) {
                sealed.add(event.segment());
            } else if (event.type() == LifecycleEventType.SEGMENT_EVICTED) {
                assertEquals(EvictionReason.RETENTION, event.reason());
                evictions.add(event.segment());
            }
        }
        assertEquals(Set.of(debug.segmentId(), plain.segmentId(), audit.segmentId()), sealed);
        assertEquals(List.of(debug.segmentId(), plain.segmentId()), evictions);
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).seq() < events.get(i).seq(), "one sequence for every class");
        }
    }

    @Test
    void aClassSizeCapEvictsOnlyThatClassesOldestSegments() throws IOException {
        RetentionClasses capped = new RetentionClasses(
                "retention", List.of(new RetentionClass("debug", Duration.ofDays(30), OptionalLong.of(1))));
        open(capped);
        long now = clock.millis();
        List<String> debugSegments = new ArrayList<>();
        List<String> plainSegments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            debugSegments.add(
                    store.write(List.of(doc(i, "debug", now))).getFirst().segmentId());
            plainSegments.add(store.write(List.of(doc(i, null, now))).getFirst().segmentId());
            store.rotate(RotationReason.MANUAL);
        }
        List<String> evicted = store.enforceRetention();
        assertEquals(debugSegments, evicted, "every debug segment is over a 1-byte cap; no default one goes");
        assertEquals(
                plainSegments, store.segments().stream().map(SegmentInfo::id).toList());
    }

    @Test
    void deletesSpanTheClasses() throws IOException {
        open(DEBUG_AUDIT);
        long now = clock.millis();
        List<WrittenDocument> written =
                store.write(List.of(doc(1, "debug", now), doc(1, null, now), doc(1, "audit", now), doc(2, null, now)));
        store.rotate(RotationReason.MANUAL);
        DeleteResult result = store.delete(ScanSpec.filtered(Filter.parse("{\"n\":1}")::matches));
        assertEquals(3, result.deleted());
        assertEquals(3, result.segments().size());
        for (int i = 0; i < 3; i++) {
            assertTrue(store.get(written.get(i).id()).isEmpty());
        }
        assertEquals(List.of(written.get(3).id()), scanIds(ScanSpec.ALL));
        assertEquals(3, store.deleteProgress().deletedTotal(), "summed over the classes");
        store.reclaimDeleted(); // what the background reclaimers have not rewritten yet
        DeleteProgress done = store.deleteProgress();
        assertEquals(Map.of(), done.pending());
        assertEquals(3, done.reclaimedDocuments());
        reopen(DEBUG_AUDIT);
        assertEquals(List.of(written.get(3).id()), scanIds(ScanSpec.ALL), "deleted documents stay deleted");
    }

    @Test
    void idsKeepIncreasingAfterARestartWhenAClassHoldsTheNewestDocument() throws IOException {
        open(DEBUG_AUDIT);
        long now = clock.millis();
        store.write(List.of(doc(0, null, now)));
        WrittenDocument newest = store.write(List.of(doc(1, "audit", now))).getFirst();
        clock.advance(Duration.ofHours(-3)); // the clock steps back across the restart
        reopen(DEBUG_AUDIT);
        WrittenDocument next =
                store.write(List.of(doc(2, null, clock.millis()))).getFirst();
        assertTrue(DocumentIds.compare(newest.id(), next.id()) < 0, "above the audit class's newest id");
        assertTrue(next.segmentId().compareTo(newest.segmentId()) > 0, "segment numbers continue above every class's");
    }

    @Test
    void aClassRemovedFromTheConfigurationIsStillServedAndAgesOutUnderTheDefaultRetention() throws IOException {
        open(DEBUG_AUDIT);
        long now = clock.millis();
        WrittenDocument audit = store.write(List.of(doc(0, "audit", now))).getFirst();
        WrittenDocument debug = store.write(List.of(doc(1, "debug", now))).getFirst();

        RetentionClasses debugOnly = new RetentionClasses(
                "retention", List.of(new RetentionClass("debug", Duration.ofDays(1), OptionalLong.empty())));
        reopen(debugOnly);
        assertTrue(store.get(audit.id()).isPresent(), "a removed class's documents are still read");
        assertEquals("audit", store.retentionClassOf(audit.segmentId()).orElseThrow());
        assertEquals(2, scanIds(ScanSpec.ALL).size());
        DocumentRejectedException e = assertThrows(
                DocumentRejectedException.class, () -> store.write(List.of(doc(2, "audit", clock.millis()))));
        assertEquals(DocumentRejectedException.Kind.UNKNOWN_RETENTION_CLASS, e.kind());

        clock.advance(Duration.ofDays(31));
        List<String> evicted = store.enforceRetention();
        assertEquals(Set.of(audit.segmentId(), debug.segmentId()), Set.copyOf(evicted));

        // Back to no classes at all: the class directories are still opened, nothing is lost or misplaced.
        reopen(RetentionClasses.NONE);
        assertEquals(List.of(), scanIds(ScanSpec.ALL));
        assertFalse(store.stores().isEmpty());
    }

    @Test
    void withoutClassesTheFieldMeansNothing() throws IOException {
        open(RetentionClasses.NONE);
        List<WrittenDocument> written =
                store.write(List.of(doc(0, "whatever", clock.millis()), doc(1, "debug", clock.millis())));
        assertEquals(2, written.size());
        assertEquals(1, store.stores().size());
        assertEquals(
                "default",
                store.retentionClassOf(written.getFirst().segmentId()).orElseThrow());
        assertFalse(Files.exists(dir.resolve("data/classes")));
    }

    @Test
    void eachAnswerOfABatchForSeveralClassesNamesItsOwnDocument() throws IOException {
        open(DEBUG_AUDIT);
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(doc(i, i % 3 == 0 ? "debug" : i % 3 == 1 ? "audit" : null, clock.millis()));
        }
        List<WrittenDocument> written = store.write(batch);
        for (int i = 0; i < written.size(); i++) {
            Map<String, Object> stored = TestDocuments.decode(
                    store.get(written.get(i).id()).orElseThrow().source());
            assertEquals(i, ((Number) stored.get("n")).intValue(), "answer " + i + " is document " + i);
        }
    }

    @Test
    void aDamagedRecordInAClassIsAnsweredAsDamagedAndItsNeighboursAreServed() throws IOException {
        open(DEBUG_AUDIT);
        List<WrittenDocument> written = store.write(List.of(
                doc(0, "audit", clock.millis()), doc(1, "audit", clock.millis()), doc(2, null, clock.millis())));
        store.rotate(RotationReason.MANUAL);
        for (var compaction : store.compactions()) {
            assertTrue(compaction.awaitIdle(Duration.ofSeconds(60)));
        }
        String segment = written.getFirst().segmentId();
        io.stupiddb.segments.testing.SegmentDamage.damageRecord(
                dir.resolve("data/classes/audit/" + segment + ".seg"),
                written.getFirst().id());
        assertThrows(
                DocumentDamagedException.class,
                () -> store.get(written.getFirst().id()));
        assertTrue(store.get(written.get(1).id()).isPresent());
        assertTrue(store.get(written.get(2).id()).isPresent());
        assertEquals(List.of(written.get(1).id(), written.get(2).id()), scanIds(ScanSpec.ALL), "scans skip it");
        assertEquals(1, store.damagedRecords(segment));
        assertEquals(Map.of(segment, 1), store.damagedRecordCounts());
    }

    @Test
    void concurrentBatchesOverSeveralClassesNeitherDeadlockNorBreakTheIdOrder() throws Exception {
        open(DEBUG_AUDIT);
        int threads = 4;
        int batches = 150;
        java.util.Set<UUID> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> writers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            writers.add(Thread.ofPlatform().start(() -> {
                java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                try {
                    for (int b = 0; b < batches; b++) {
                        List<DocumentToWrite> batch = new ArrayList<>();
                        int n = random.nextInt(1, 6);
                        for (int i = 0; i < n; i++) {
                            Object named = switch (random.nextInt(3)) {
                                case 0 -> "debug";
                                case 1 -> "audit";
                                default -> null;
                            };
                            batch.add(doc(i, named, clock.millis()));
                        }
                        List<WrittenDocument> written = store.write(batch);
                        for (int i = 1; i < written.size(); i++) {
                            if (DocumentIds.compare(
                                            written.get(i - 1).id(),
                                            written.get(i).id())
                                    >= 0) {
                                throw new AssertionError("ids out of batch order");
                            }
                        }
                        written.forEach(w -> acknowledged.add(w.id()));
                        if (b % 50 == 49) {
                            store.rotate(RotationReason.MANUAL);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join(120_000);
            assertFalse(writer.isAlive(), "a writer is stuck (deadlock?)");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        List<UUID> scanned = scanIds(ScanSpec.ALL);
        for (int i = 1; i < scanned.size(); i++) {
            assertTrue(DocumentIds.compare(scanned.get(i - 1), scanned.get(i)) < 0, "merged scan in id order");
        }
        assertEquals(acknowledged, new HashSet<>(scanned));
    }
}
