package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.StoreScans;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based test: random interleavings of write, rotate, evict, archive, get, scan, restart,
 * clock moves, deletes by filter and their reclaiming against an in-memory model (an ordered map
 * of id → document and segment).
 */
class SegmentStoreModelTest {

    sealed interface Action permits Write, Rotate, EvictOldest, ArchiveAll, Get, Scan, Restart, Tick, Delete, Reclaim {}

    record Write(int count, int offsetMinutes) implements Action {}

    record Rotate() implements Action {}

    record EvictOldest() implements Action {}

    record ArchiveAll() implements Action {}

    record Get(int pick) implements Action {}

    record Scan(int fromMinutes, int spanMinutes, int pageSize) implements Action {}

    record Restart() implements Action {}

    record Tick(int minutes) implements Action {}

    /** Deletes the documents of one level (or all) in a time range. */
    record Delete(int fromMinutes, int spanMinutes, String level) implements Action {}

    record Reclaim() implements Action {}

    record ModelDoc(String segment, long timestamp, byte[] source, String level) {}

    private static final List<String> LEVELS = List.of("error", "info", "any");

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        6,
                        Arbitraries.integers()
                                .between(1, 12)
                                .flatMap(n ->
                                        Arbitraries.integers().between(-50, 50).map(m -> (Action) new Write(n, m)))),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Rotate())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new EvictOldest())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new ArchiveAll())),
                net.jqwik.api.Tuple.of(
                        3, Arbitraries.integers().between(0, 1000).map(p -> (Action) new Get(p))),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.integers()
                                .between(-120, 240)
                                .flatMap(f -> Arbitraries.integers()
                                        .between(1, 400)
                                        .flatMap(s -> Arbitraries.integers()
                                                .between(1, 15)
                                                .map(p -> (Action) new Scan(f, s, p))))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Restart())),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 90).map(m -> (Action) new Tick(m))),
                net.jqwik.api.Tuple.of(
                        2,
                        Arbitraries.integers()
                                .between(-120, 240)
                                .flatMap(f -> Arbitraries.integers()
                                        .between(1, 400)
                                        .flatMap(s -> Arbitraries.of(LEVELS).map(l -> (Action) new Delete(f, s, l))))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reclaim())));
        return action.list().ofMinSize(5).ofMaxSize(40);
    }

    @Property(tries = 40)
    void storeBehavesLikeTheModel(@ForAll("actions") List<Action> actions) throws IOException {
        Path dir = Files.createTempDirectory("model");
        Instant start = Instant.parse("2026-11-25T00:00:00Z");
        MutableClock clock = new MutableClock(start);
        StoreConfig config = StoreConfig.builder(dir.resolve("data"))
                .maxSegmentAge(Duration.ofMinutes(45))
                .maxSegmentSize(64 * 1024)
                .archiveAfter(Duration.ofMinutes(30))
                .archiveCompressionLevel(9)
                .fsync(DurabilityMode.NEVER)
                .maxClockSkew(Duration.ofHours(2))
                .minFreeDisk(0)
                .nodeId(1)
                .build();
        SegmentStore store = SegmentStore.open(config, clock);
        Map<UUID, ModelDoc> model = new LinkedHashMap<>();
        int counter = 0;
        try {
            for (Action action : actions) {
                switch (action) {
                    case Write w -> {
                        List<DocumentToWrite> batch = new ArrayList<>();
                        List<byte[]> sources = new ArrayList<>();
                        List<Long> stamps = new ArrayList<>();
                        List<String> levels = new ArrayList<>();
                        for (int i = 0; i < w.count(); i++) {
                            String level = counter % 3 == 0 ? "error" : "info";
                            levels.add(level);
                            byte[] source = TestDocuments.msgpack(Map.of("n", counter++, "level", level));
                            long ts = clock.millis()
                                    + Duration.ofMinutes(w.offsetMinutes()).toMillis();
                            sources.add(source);
                            stamps.add(ts);
                            batch.add(DocumentToWrite.at(source, ts));
                        }
                        List<WrittenDocument> written = store.write(batch);
                        for (int i = 0; i < written.size(); i++) {
                            WrittenDocument doc = written.get(i);
                            assertEquals((long) stamps.get(i), doc.timestamp());
                            model.put(
                                    doc.id(),
                                    new ModelDoc(doc.segmentId(), doc.timestamp(), sources.get(i), levels.get(i)));
                        }
                    }
                    case Rotate r -> store.rotate(RotationReason.MANUAL);
                    case EvictOldest e -> {
                        List<SegmentInfo> segments = store.segments();
                        if (!segments.isEmpty() && segments.getFirst().state() != SegmentState.ACTIVE) {
                            String id = segments.getFirst().id();
                            try {
                                store.evict(id);
                            } catch (NoSuchSegmentException gone) {
                                // The background reclaimer removed it meanwhile: it held deleted documents only.
                                assertTrue(
                                        model.values().stream()
                                                .noneMatch(doc -> doc.segment().equals(id)),
                                        "segment " + id + " vanished with live documents");
                            }
                            model.values().removeIf(doc -> doc.segment().equals(id));
                        }
                    }
                    case ArchiveAll a -> store.archiveDue();
                    case Get g -> {
                        if (!model.isEmpty()) {
                            List<UUID> ids = new ArrayList<>(model.keySet());
                            UUID id = ids.get(g.pick() % ids.size());
                            StoredDocument stored = store.get(id).orElseThrow(() -> new AssertionError("lost " + id));
                            assertArrayEquals(model.get(id).source(), stored.source());
                            assertEquals(model.get(id).timestamp(), stored.timestamp());
                        }
                        UUID unknown = new UUID(0x0000_0000_0000_7000L, 0x8000_0000_0000_0000L);
                        assertTrue(store.get(unknown).isEmpty());
                    }
                    case Scan s -> {
                        long from = start.toEpochMilli()
                                + Duration.ofMinutes(s.fromMinutes()).toMillis();
                        long to = from + Duration.ofMinutes(s.spanMinutes()).toMillis();
                        List<UUID> expected = model.entrySet().stream()
                                .filter(en -> en.getValue().timestamp() >= from
                                        && en.getValue().timestamp() < to)
                                .map(Map.Entry::getKey)
                                .toList();
                        List<UUID> actual = StoreScans.paged(store::page, from, to, s.pageSize());
                        assertEquals(expected, actual, "scan [" + from + ", " + to + ")");
                    }
                    case Restart r -> {
                        store.close();
                        store = SegmentStore.open(config, clock);
                    }
                    case Tick t -> {
                        clock.advance(Duration.ofMinutes(t.minutes()));
                        store.rotateIfDue();
                    }
                    case Delete d -> {
                        long from = start.toEpochMilli()
                                + Duration.ofMinutes(d.fromMinutes()).toMillis();
                        long to = from + Duration.ofMinutes(d.spanMinutes()).toMillis();
                        RecordFilter filter = d.level().equals("any")
                                ? RecordFilter.ALL
                                : Filter.parse("{\"level\":\"" + d.level() + "\"}")::matches;
                        List<UUID> expected = model.entrySet().stream()
                                .filter(en -> en.getValue().timestamp() >= from
                                        && en.getValue().timestamp() < to
                                        && (d.level().equals("any")
                                                || en.getValue().level().equals(d.level())))
                                .map(Map.Entry::getKey)
                                .toList();
                        DeleteResult result = store.delete(new ScanSpec(from, to, null, filter));
                        assertEquals(expected.size(), result.deleted(), "deleted " + d);
                        expected.forEach(model::remove);
                        for (UUID id : expected) {
                            assertTrue(store.get(id).isEmpty(), "deleted " + id + " still readable");
                        }
                    }
                    case Reclaim r -> {
                        store.reclaimDeleted();
                        Map<String, Long> perSegment = new LinkedHashMap<>();
                        model.values().forEach(doc -> perSegment.merge(doc.segment(), 1L, Long::sum));
                        for (SegmentInfo info : store.segments()) {
                            if (info.state() != SegmentState.ACTIVE) {
                                assertEquals(
                                        perSegment.getOrDefault(info.id(), 0L),
                                        info.documents(),
                                        "documents of rewritten segment " + info.id());
                            }
                        }
                    }
                }
            }
            // Final full check, also after one more restart.
            store.close();
            store = SegmentStore.open(config, clock);
            List<UUID> all = new ArrayList<>();
            try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                while (cursor.advance()) {
                    all.add(cursor.id());
                }
            }
            assertEquals(new ArrayList<>(model.keySet()), all);
            List<LifecycleEvent> events = store.journal().eventsAfter(0, 10_000);
            for (int i = 1; i < events.size(); i++) {
                assertEquals(events.get(i - 1).seq() + 1, events.get(i).seq(), "journal without gaps");
            }
        } finally {
            store.close();
            TestFiles.deleteRecursively(dir);
        }
    }
}
