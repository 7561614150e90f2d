package io.stupiddb.segments.store;

import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.StoreScans;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based test of retention classes (SPEC §12): random batches naming classes (some unknown,
 * some with timestamps outside their class's retention), rotations, clock moves, retention passes,
 * deletes by filter, scans and restarts that drop a class and bring it back, against an in-memory
 * model of which documents must be served, in which class.
 */
class ClassedStoreModelTest {

    sealed interface Action permits Write, Rotate, Tick, Retention, Delete, Scan, Restart {}

    /** {@code classes}: per document an index into {@link #NAMES}; {@code offsetMinutes}: its timestamp. */
    record Write(List<Integer> classes, int offsetMinutes) implements Action {}

    record Rotate() implements Action {}

    record Tick(int minutes) implements Action {}

    record Retention() implements Action {}

    record Delete(int fromMinutes, int spanMinutes, String level) implements Action {}

    record Scan(int fromMinutes, int spanMinutes, int pageSize) implements Action {}

    /** Reopens the store, with or without the {@code audit} class in the settings. */
    record Restart(boolean withAudit) implements Action {}

    record ModelDoc(String retentionClass, long timestamp, byte[] source, String level, String segment) {
        ModelDoc in(String segmentId) {
            return new ModelDoc(retentionClass, timestamp, source, level, segmentId);
        }
    }

    /** What a document names: a class, the default class by name, nothing, an unknown class. */
    private static final List<String> NAMES = List.of("debug", "audit", "default", "", "nope");

    private static final RetentionClass DEBUG = new RetentionClass("debug", Duration.ofDays(1), OptionalLong.empty());
    private static final RetentionClass AUDIT = new RetentionClass("audit", Duration.ofDays(400), OptionalLong.empty());
    private static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(
                        6,
                        Arbitraries.frequency(
                                        Tuple.of(8, 0), Tuple.of(8, 1), Tuple.of(4, 2), Tuple.of(8, 3), Tuple.of(1, 4))
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(10)
                                .flatMap(classes -> Arbitraries.integers()
                                        .between(-2_000, 30)
                                        .map(m -> (Action) new Write(classes, m)))),
                Tuple.of(2, Arbitraries.just(new Rotate())),
                Tuple.of(3, Arbitraries.integers().between(1, 900).map(m -> (Action) new Tick(m))),
                Tuple.of(2, Arbitraries.just(new Retention())),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(-2_000, 2_000)
                                .flatMap(f -> Arbitraries.integers()
                                        .between(1, 3_000)
                                        .flatMap(s -> Arbitraries.of("error", "info")
                                                .map(l -> (Action) new Delete(f, s, l))))),
                Tuple.of(
                        2,
                        Arbitraries.integers()
                                .between(-2_000, 2_000)
                                .flatMap(f -> Arbitraries.integers()
                                        .between(1, 5_000)
                                        .flatMap(s -> Arbitraries.integers()
                                                .between(1, 9)
                                                .map(p -> (Action) new Scan(f, s, p))))),
                Tuple.of(1, Arbitraries.of(true, false).map(a -> (Action) new Restart(a))));
        return action.list().ofMinSize(5).ofMaxSize(35);
    }

    private static StoreConfig config(Path dir, boolean withAudit) {
        return StoreConfig.builder(dir.resolve("data"))
                .retention(DEFAULT_RETENTION)
                .maxSegmentAge(Duration.ofHours(3))
                .fsync(DurabilityMode.NEVER)
                .maxClockSkew(Duration.ofHours(1))
                .minFreeDisk(0)
                .nodeId(2)
                .retentionClasses(new RetentionClasses("retention", withAudit ? List.of(DEBUG, AUDIT) : List.of(DEBUG)))
                .build();
    }

    /** The retention a document of {@code retentionClass} is checked against and kept for. */
    private static Duration retentionOf(String retentionClass, boolean withAudit) {
        return switch (retentionClass) {
            case "debug" -> DEBUG.retention();
            case "audit" -> withAudit ? AUDIT.retention() : DEFAULT_RETENTION;
            default -> DEFAULT_RETENTION;
        };
    }

    @Property(tries = 30)
    void classedStoreBehavesLikeTheModel(@ForAll("actions") List<Action> actions) throws IOException {
        Path dir = Files.createTempDirectory("classed-model");
        Instant start = Instant.parse("2026-11-25T00:00:00Z");
        MutableClock clock = new MutableClock(start);
        boolean withAudit = true;
        ClassedStore store = ClassedStore.open(config(dir, true), clock);
        TreeMap<UUID, ModelDoc> model = new TreeMap<>(DocumentIds::compare);
        int counter = 0;
        try {
            for (Action action : actions) {
                switch (action) {
                    case Write w -> {
                        long now = clock.millis();
                        long ts = now + Duration.ofMinutes(w.offsetMinutes()).toMillis();
                        List<DocumentToWrite> batch = new ArrayList<>();
                        List<ModelDoc> docs = new ArrayList<>();
                        int rejectedAt = -1;
                        for (int i = 0; i < w.classes().size(); i++) {
                            String named = NAMES.get(w.classes().get(i));
                            String level = counter % 2 == 0 ? "error" : "info";
                            Map<String, Object> fields = new LinkedHashMap<>();
                            fields.put("n", counter++);
                            fields.put("level", level);
                            if (!named.isEmpty()) {
                                fields.put("retention", named);
                            }
                            byte[] source = TestDocuments.msgpack(fields);
                            batch.add(DocumentToWrite.at(source, ts));
                            String retentionClass = named.isEmpty() ? "default" : named;
                            boolean unknown = named.equals("nope") || (named.equals("audit") && !withAudit);
                            boolean tooOld = !unknown
                                    && ts
                                            < now
                                                    - retentionOf(retentionClass, withAudit)
                                                            .toMillis();
                            if (rejectedAt < 0 && (unknown || tooOld)) {
                                rejectedAt = i;
                            }
                            docs.add(new ModelDoc(retentionClass, ts, source, level, null));
                        }
                        if (rejectedAt >= 0) {
                            ClassedStore current = store;
                            DocumentRejectedException e =
                                    assertThrows(DocumentRejectedException.class, () -> current.write(batch));
                            assertEquals(rejectedAt, e.index(), e.getMessage());
                        } else {
                            List<WrittenDocument> written = store.write(batch);
                            for (int i = 0; i < written.size(); i++) {
                                if (i > 0) {
                                    assertTrue(
                                            DocumentIds.compare(
                                                            written.get(i - 1).id(),
                                                            written.get(i).id())
                                                    < 0,
                                            "ids increase in the order of the batch");
                                }
                                model.put(
                                        written.get(i).id(),
                                        docs.get(i).in(written.get(i).segmentId()));
                            }
                        }
                    }
                    case Rotate r -> store.rotate(RotationReason.MANUAL);
                    case Tick t -> {
                        clock.advance(Duration.ofMinutes(t.minutes()));
                        store.rotateIfDue();
                    }
                    case Retention r -> {
                        List<String> evicted = store.enforceRetention();
                        long now = clock.millis();
                        // Nothing went early: a segment goes once its newest document is past its class's retention.
                        for (ModelDoc doc : model.values()) {
                            if (evicted.contains(doc.segment())) {
                                long horizon = now
                                        - retentionOf(doc.retentionClass(), withAudit)
                                                .toMillis();
                                assertTrue(doc.timestamp() < horizon, "evicted early: segment " + doc.segment());
                            }
                        }
                        model.values().removeIf(doc -> evicted.contains(doc.segment()));
                        // Nothing is kept past its class's retention.
                        for (ClassedStore.ClassedSegment s : store.classedSegments()) {
                            if (s.info().state() == SegmentState.SEALED
                                    && s.info().maxTimestamp() != null) {
                                long horizon = now
                                        - retentionOf(s.retentionClass(), withAudit)
                                                .toMillis();
                                assertTrue(
                                        s.info().maxTimestamp() >= horizon,
                                        "segment " + s.info().id() + " of " + s.retentionClass() + " kept too long");
                            }
                        }
                    }
                    case Delete d -> {
                        long from = start.toEpochMilli()
                                + Duration.ofMinutes(d.fromMinutes()).toMillis();
                        long to = from + Duration.ofMinutes(d.spanMinutes()).toMillis();
                        RecordFilter filter = Filter.parse("{\"level\":\"" + d.level() + "\"}")::matches;
                        List<UUID> expected = model.entrySet().stream()
                                .filter(en -> en.getValue().timestamp() >= from
                                        && en.getValue().timestamp() < to
                                        && en.getValue().level().equals(d.level()))
                                .map(Map.Entry::getKey)
                                .toList();
                        DeleteResult result = store.delete(new ScanSpec(from, to, null, filter));
                        assertEquals(expected.size(), result.deleted(), "deleted " + d);
                        expected.forEach(model::remove);
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
                        withAudit = r.withAudit();
                        store = ClassedStore.open(config(dir, withAudit), clock);
                    }
                }
            }
            // Every document the model holds is served from its class's segments, and nothing else is.
            List<UUID> all = new ArrayList<>();
            try (var cursor = store.scan(ScanSpec.ALL)) {
                while (cursor.advance()) {
                    all.add(cursor.id());
                }
            }
            assertEquals(new ArrayList<>(model.keySet()), all);
            for (Map.Entry<UUID, ModelDoc> e : model.entrySet()) {
                var stored = store.get(e.getKey()).orElseThrow();
                assertArrayEquals(e.getValue().source(), stored.source());
                assertEquals(
                        e.getValue().retentionClass(),
                        store.retentionClassOf(stored.segmentId()).orElseThrow(),
                        "class of " + e.getKey());
            }
            List<String> segmentIds =
                    store.segments().stream().map(SegmentInfo::id).toList();
            assertEquals(segmentIds.size(), segmentIds.stream().distinct().count(), "segment ids unique");
        } finally {
            store.close();
            TestFiles.deleteRecursively(dir);
        }
    }
}
