package io.stupiddb.segments.id;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentIdGeneratorTest {

    private static final long T0 = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();

    private static void assertGreater(UUID previous, UUID next) {
        assertTrue(DocumentIds.compare(next, previous) > 0, () -> next + " is not greater than " + previous);
    }

    @Test
    void idsAreVersion7WithNodeAndTimestamp() {
        var generator = new DocumentIdGenerator(42, InstantSource.fixed(Instant.ofEpochMilli(T0)), null);
        UUID id = generator.next();
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(42, DocumentIds.nodeOf(id));
        assertEquals(T0, DocumentIds.timestampMillisOf(id));
        assertEquals(id, DocumentIds.parse(DocumentIds.format(id)));
    }

    @Test
    void strictlyIncreasingWithFrozenClockForMillionsOfCalls() {
        var generator = new DocumentIdGenerator(7, InstantSource.fixed(Instant.ofEpochMilli(T0)), null);
        UUID previous = generator.next();
        String previousText = DocumentIds.format(previous);
        for (int i = 0; i < 3_000_000; i++) {
            UUID next = generator.next();
            if (DocumentIds.compare(next, previous) <= 0) {
                throw new AssertionError("call " + i + ": " + next + " <= " + previous);
            }
            // The counter is seeded below 2^41, so 3 million ids fit in the frozen millisecond.
            if (DocumentIds.timestampMillisOf(next) != T0 || DocumentIds.nodeOf(next) != 7) {
                throw new AssertionError("call " + i + ": unexpected timestamp or node in " + next);
            }
            if (i % 1000 == 0) {
                String text = DocumentIds.format(next);
                assertTrue(text.compareTo(previousText) > 0);
                previousText = text;
            }
            previous = next;
        }
    }

    @Test
    void strictlyIncreasingWhenClockJumpsBackAndForth() {
        var clock = new MutableClock(Instant.ofEpochMilli(T0));
        var generator = new DocumentIdGenerator(1, clock, null);
        var random = RandomGenerator.of("L64X128MixRandom");
        UUID previous = generator.next();
        long previousMillis = DocumentIds.timestampMillisOf(previous);
        for (int i = 0; i < 1_000_000; i++) {
            if (i % 1000 == 0) {
                clock.advance(Duration.ofMillis(random.nextLong(-5_000, 3_000))); // steps back more than forward
            }
            UUID next = generator.next();
            if (DocumentIds.compare(next, previous) <= 0) {
                throw new AssertionError("call " + i + ": " + next + " <= " + previous);
            }
            long millis = DocumentIds.timestampMillisOf(next);
            if (millis < previousMillis) {
                throw new AssertionError("timestamp went back at call " + i);
            }
            previous = next;
            previousMillis = millis;
        }
    }

    @Test
    void clockBehindTheFloorContinuesAfterTheFloor() {
        var earlier = new DocumentIdGenerator(3, InstantSource.fixed(Instant.ofEpochMilli(T0 + 60_000)), null);
        UUID floor = earlier.next();

        var restarted = new DocumentIdGenerator(3, InstantSource.fixed(Instant.ofEpochMilli(T0)), floor);
        UUID previous = floor;
        for (int i = 0; i < 10_000; i++) {
            UUID next = restarted.next();
            assertGreater(previous, next);
            assertEquals(T0 + 60_000, DocumentIds.timestampMillisOf(next)); // continues the floor's millisecond
            previous = next;
        }
    }

    @Test
    void clockAheadOfTheFloorUsesTheClock() {
        UUID floor = new DocumentIdGenerator(3, InstantSource.fixed(Instant.ofEpochMilli(T0)), null).next();
        UUID next = new DocumentIdGenerator(3, InstantSource.fixed(Instant.ofEpochMilli(T0 + 5)), floor).next();
        assertGreater(floor, next);
        assertEquals(T0 + 5, DocumentIds.timestampMillisOf(next));
    }

    @Test
    void floorFromAnotherNodeIsRespected() {
        // Node 1023 at the same millisecond with a zero counter: its node bits exceed ours.
        UUID floor = DocumentIds.compose(T0, 1023, 0, 0);
        var generator = new DocumentIdGenerator(0, InstantSource.fixed(Instant.ofEpochMilli(T0)), floor);
        UUID next = generator.next();
        assertGreater(floor, next);
        assertEquals(0, DocumentIds.nodeOf(next));
        assertEquals(T0 + 1, DocumentIds.timestampMillisOf(next));
    }

    @Test
    void counterOverflowAdvancesTheTimestampByOneMillisecond() {
        UUID floor = DocumentIds.compose(T0, 5, DocumentIdGenerator.COUNTER_MAX, DocumentIds.TAIL_MASK);
        var generator = new DocumentIdGenerator(5, InstantSource.fixed(Instant.ofEpochMilli(T0)), floor);
        UUID next = generator.next();
        assertGreater(floor, next);
        assertEquals(T0 + 1, DocumentIds.timestampMillisOf(next));
    }

    @Test
    void counterOverflowWithAnAdversarialRandomSourceStaysIncreasing() {
        // All-ones randomness: the seed is the largest allowed (2^41 - 1) and tails are all ones.
        RandomGenerator allOnes = () -> -1L;
        UUID floor = DocumentIds.compose(T0, 9, DocumentIdGenerator.COUNTER_MAX - 3, 0);
        var generator = new DocumentIdGenerator(9, InstantSource.fixed(Instant.ofEpochMilli(T0)), floor, allOnes);
        UUID previous = floor;
        for (int i = 0; i < 10; i++) {
            UUID next = generator.next();
            assertGreater(previous, next);
            previous = next;
        }
        assertEquals(T0 + 1, DocumentIds.timestampMillisOf(previous));
    }

    @Test
    void nodeIdRoundTripsForEveryNode() {
        var clock = InstantSource.fixed(Instant.ofEpochMilli(T0));
        for (int node = 0; node <= DocumentIdGenerator.MAX_NODE_ID; node++) {
            var generator = new DocumentIdGenerator(node, clock, null);
            assertEquals(node, generator.nodeId());
            for (int i = 0; i < 3; i++) {
                UUID id = generator.next();
                assertEquals(node, DocumentIds.nodeOf(id));
                assertEquals(node, DocumentIds.nodeOf(DocumentIds.parse(DocumentIds.format(id))));
                assertEquals(T0, DocumentIds.timestampMillisOf(id));
            }
        }
    }

    @Test
    void nodeIdOutOfRangeNamesTheSetting() {
        var clock = InstantSource.fixed(Instant.ofEpochMilli(T0));
        for (int bad : new int[] {-1, 1024, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new DocumentIdGenerator(bad, clock, null));
            assertTrue(e.getMessage().contains("segments.node-id"), e.getMessage());
        }
    }

    @Test
    void floorMustBeVersion7() {
        var clock = InstantSource.fixed(Instant.ofEpochMilli(T0));
        assertThrows(IllegalArgumentException.class, () -> new DocumentIdGenerator(0, clock, UUID.randomUUID()));
    }

    @Test
    void clockBeforeTheEpochStillYieldsValidIncreasingIds() {
        var generator = new DocumentIdGenerator(0, InstantSource.fixed(Instant.ofEpochMilli(-10_000)), null);
        UUID first = generator.next();
        UUID second = generator.next();
        assertEquals(0, DocumentIds.timestampMillisOf(first));
        assertGreater(first, second);
        assertTrue(DocumentIds.isVersion7(second));
    }

    @Test
    void timestampExhaustionIsReported() {
        var generator = new DocumentIdGenerator(
                0, InstantSource.fixed(Instant.ofEpochMilli(DocumentIdGenerator.MAX_TIMESTAMP + 1)), null);
        assertThrows(IllegalStateException.class, generator::next);
    }

    @Test
    void concurrentCallersGetUniqueIdsIncreasingPerThread() throws Exception {
        var clock = new MutableClock(Instant.ofEpochMilli(T0));
        var generator = new DocumentIdGenerator(11, clock, null);
        int threads = 4;
        int perThread = 100_000;
        List<Callable<List<UUID>>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                List<UUID> ids = new ArrayList<>(perThread);
                for (int i = 0; i < perThread; i++) {
                    if (i % 10_000 == 0) {
                        clock.advance(Duration.ofMillis(i % 20_000 == 0 ? -3 : 2));
                    }
                    ids.add(generator.next());
                }
                return ids;
            });
        }
        Set<UUID> all = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<List<UUID>> future : pool.invokeAll(tasks)) {
                List<UUID> ids = future.get();
                for (int i = 1; i < ids.size(); i++) {
                    assertGreater(ids.get(i - 1), ids.get(i));
                }
                all.addAll(ids);
            }
        }
        assertEquals(threads * perThread, all.size());
    }
}
