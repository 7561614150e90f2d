package io.stupiddb.segments.journal;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.stupiddb.segments.journal.JournalFixtures.T0;
import static io.stupiddb.segments.journal.JournalFixtures.appendMany;
import static io.stupiddb.segments.journal.JournalFixtures.draft;
import static io.stupiddb.segments.journal.JournalFixtures.journalFiles;
import static io.stupiddb.segments.journal.JournalFixtures.recordBoundaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalReader}: {@code eventsAfter} across files and index slots, damage found while
 * reading, and reads racing a trim.
 */
class JournalReaderTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void eventsAfterHonoursAfterAndLimitAcrossFilesAndIndexSlots() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 16 * 1024)) { // ~200 events a file
            List<LifecycleEvent> all = appendMany(journal, 0, 700);
            assertTrue(journalFiles(tmp).size() >= 3);
            long[] afters = {0, 1, 63, 64, 65, 127, 128, 199, 200, 201, 350, 698, 699, 700, 701, 10_000, Long.MAX_VALUE
            };
            for (long after : afters) {
                for (int limit : new int[] {1, 2, 63, 64, 65, 250, 1000}) {
                    int fromIndex = (int) Math.min(after, all.size());
                    int toIndex = (int) Math.min((long) fromIndex + limit, all.size());
                    assertEquals(
                            all.subList(fromIndex, toIndex),
                            journal.eventsAfter(after, limit),
                            "after=" + after + " limit=" + limit);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> journal.eventsAfter(-1, 10));
            assertThrows(IllegalArgumentException.class, () -> journal.eventsAfter(0, 0));
        }
    }

    @Test
    void corruptionFoundWhileReadingIsReported() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 3);
            Path file = journalFiles(tmp).getFirst();
            long[] boundaries = recordBoundaries(file);
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) boundaries[1] + 12] ^= 0x10;
            Files.write(file, bytes); // bit rot after open
            assertEquals(1, journal.eventsAfter(0, 1).size());
            var e = assertThrows(JournalCorruptedException.class, () -> journal.eventsAfter(0, 10));
            assertEquals(boundaries[1], e.offset());
        }
    }

    @Test
    void readerRacingTrimGetsAContiguousResult() throws Exception {
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            for (int i = 0; i < 60; i++) {
                journal.append(draft(i));
                clock.advance(Duration.ofMinutes(1));
            }
            AtomicBoolean trimming = new AtomicBoolean(true);
            try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
                Future<?> reader = pool.submit(() -> {
                    while (trimming.get()) {
                        List<LifecycleEvent> events = journal.eventsAfter(0, 1000);
                        for (int i = 1; i < events.size(); i++) {
                            assertEquals(
                                    events.get(i - 1).seq() + 1, events.get(i).seq());
                        }
                        // A file trimmed mid-read ends the result early (at a contiguous prefix).
                        assertTrue(events.isEmpty() || events.getLast().seq() <= 60);
                    }
                    return null;
                });
                for (int minute = 0; minute <= 61; minute++) {
                    journal.trim(T0.plus(Duration.ofMinutes(minute)));
                }
                trimming.set(false);
                reader.get();
            }
            assertEquals(61, journal.firstRetainedSeq());
            assertNull(journal.eventsAfter(0, 10).stream().findFirst().orElse(null));
        }
    }
}
