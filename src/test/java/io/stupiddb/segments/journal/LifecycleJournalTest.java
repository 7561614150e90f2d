package io.stupiddb.segments.journal;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.stupiddb.segments.journal.JournalFixtures.T0;
import static io.stupiddb.segments.journal.JournalFixtures.appendMany;
import static io.stupiddb.segments.journal.JournalFixtures.draft;
import static io.stupiddb.segments.journal.JournalFixtures.journalFiles;
import static io.stupiddb.segments.journal.JournalFixtures.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade end to end: append, read back, reopen, close, and all of it at once from many threads. */
class LifecycleJournalTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void appendAssignsSeqsFromOneAndStampsTheClock() throws IOException {
        try (var journal = new LifecycleJournal(tmp.resolve("journal"), clock)) {
            assertEquals(0, journal.lastSeq());
            assertEquals(1, journal.firstRetainedSeq());
            assertEquals(List.of(), journal.eventsAfter(0, 10));
            LifecycleEvent first = journal.append(draft(0));
            clock.advance(Duration.ofSeconds(1));
            LifecycleEvent second = journal.append(draft(2));
            assertEquals(1, first.seq());
            assertEquals(T0, first.at());
            assertEquals(2, second.seq());
            assertEquals(T0.plusSeconds(1), second.at());
            assertEquals(EvictionReason.MANUAL, second.reason());
            assertEquals(2, journal.lastSeq());
            assertEquals(List.of(first, second), journal.eventsAfter(0, 10));
        }
        assertEquals(
                List.of(tmp.resolve("journal/journal-00000000000000000001.log")), journalFiles(tmp.resolve("journal")));
    }

    @Test
    void reopenContinuesTheSequenceAndReadsEverythingBack() throws IOException {
        Path dir = tmp.resolve("journal");
        List<LifecycleEvent> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            try (var journal = new LifecycleJournal(dir, clock, 1024)) {
                assertEquals(all.size(), journal.lastSeq());
                assertEquals(all, journal.eventsAfter(0, 1000));
                all.addAll(appendMany(journal, all.size(), 25));
                clock.advance(Duration.ofMinutes(1));
            }
        }
        try (var journal = new LifecycleJournal(dir, clock, 1024)) {
            assertEquals(75, journal.lastSeq());
            assertEquals(all, journal.eventsAfter(0, 1000));
            assertTrue(journalFiles(dir).size() > 3, "rolled at 1 KiB");
        }
    }

    @Test
    void closedJournalRefusesUse() throws IOException {
        var journal = new LifecycleJournal(tmp, clock);
        journal.close();
        journal.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> journal.append(draft(0)));
        assertThrows(IllegalStateException.class, () -> journal.eventsAfter(0, 1));
    }

    @Test
    void concurrentAppendersGetUniqueGapFreeSeqsWhileReadersSeeContiguousPrefixes() throws Exception {
        int threads = 4;
        int perThread = 100;
        try (var journal = new LifecycleJournal(tmp, clock, 2048)) {
            List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
            journal.addListener(event -> delivered.add(event.seq()));
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            try (ExecutorService pool = Executors.newFixedThreadPool(threads + 1)) {
                List<Future<List<Long>>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        start.await();
                        List<Long> mine = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            mine.add(journal.append(draft(thread * perThread + i))
                                    .seq());
                        }
                        return mine;
                    }));
                }
                Future<Integer> reader = pool.submit(() -> {
                    start.await();
                    int reads = 0;
                    while (writing.get()) {
                        List<LifecycleEvent> events = journal.eventsAfter(0, 10_000);
                        for (int i = 0; i < events.size(); i++) {
                            assertEquals(i + 1, events.get(i).seq(), "readers see a gap-free prefix");
                        }
                        reads++;
                    }
                    return reads;
                });
                start.countDown();
                List<Long> all = new ArrayList<>();
                for (Future<List<Long>> writer : writers) {
                    List<Long> mine = writer.get();
                    for (int i = 1; i < mine.size(); i++) {
                        assertTrue(mine.get(i) > mine.get(i - 1));
                    }
                    all.addAll(mine);
                }
                writing.set(false);
                assertTrue(reader.get() > 0);
                Collections.sort(all);
                List<Long> expected = java.util.stream.LongStream.rangeClosed(1, threads * perThread)
                        .boxed()
                        .toList();
                assertEquals(expected, all);
                assertEquals(expected, delivered, "listeners saw every event once, in seq order");
                assertEquals(expected, seqs(journal.eventsAfter(0, 10_000)));
            }
        }
    }
}
