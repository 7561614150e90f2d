package io.stupiddb.segments.journal;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.stupiddb.segments.journal.JournalFixtures.T0;
import static io.stupiddb.segments.journal.JournalFixtures.appendMany;
import static io.stupiddb.segments.journal.JournalFixtures.countRecords;
import static io.stupiddb.segments.journal.JournalFixtures.draft;
import static io.stupiddb.segments.journal.JournalFixtures.journalFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JournalAppender}: rolling at the configured size, and trimming (retention) by whole files. */
class JournalAppenderTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void rollsAtTheConfiguredSizeAndNamesFilesByFirstSeq() throws IOException {
        long max = 600;
        try (var journal = new LifecycleJournal(tmp, clock, max)) {
            appendMany(journal, 0, 40);
        }
        List<Path> files = journalFiles(tmp);
        assertTrue(files.size() > 2);
        long expectedFirst = 1;
        try (var journal = new LifecycleJournal(tmp, clock, max)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                assertEquals(JournalFile.fileName(expectedFirst), name);
                long first = JournalFile.firstSeqOf(name).orElseThrow();
                long records = journal.eventsAfter(first - 1, 1000).stream()
                        .takeWhile(e -> e.seq() < first + 1000)
                        .count();
                assertTrue(records > 0);
                // A file stops taking records once it reaches max; the one that crossed it is the last.
                assertTrue(Files.size(file) < max + 200, name + " is " + Files.size(file) + " bytes");
                int count = countRecords(file);
                expectedFirst = first + count;
            }
            assertEquals(41, expectedFirst);
        }
    }

    @Test
    void trimDeletesOnlyWholeFilesOlderThanTheCutoffAndKeepsSeqsAcrossReopen() throws IOException {
        Path dir = tmp.resolve("journal");
        try (var journal = new LifecycleJournal(dir, clock, 400)) {
            for (int day = 0; day < 5; day++) {
                appendMany(journal, day * 10, 10);
                clock.advance(Duration.ofDays(1));
            }
            assertEquals(50, journal.lastSeq());
            int filesBefore = journalFiles(dir).size();

            Instant cutoff = T0.plus(Duration.ofDays(2)); // events of days 0 and 1 are older
            int deleted = journal.trim(cutoff);
            assertTrue(deleted > 0);
            assertEquals(filesBefore - deleted, journalFiles(dir).size());
            long first = journal.firstRetainedSeq();
            assertTrue(first > 1 && first <= 21, "kept every event of day 2 on; first retained " + first);
            List<LifecycleEvent> retained = journal.eventsAfter(0, 100);
            assertEquals(first, retained.getFirst().seq(), "a consumer behind the retention gets the oldest retained");
            assertEquals(50, retained.getLast().seq());
            assertTrue(retained.stream().filter(e -> e.seq() >= 21).allMatch(e -> !e.at().isBefore(cutoff)));
            assertEquals(0, journal.trim(cutoff), "idempotent");
        }
        try (var journal = new LifecycleJournal(dir, clock, 400)) {
            assertEquals(50, journal.lastSeq());
            assertEquals(51, journal.append(draft(50)).seq());
        }
    }

    @Test
    void trimmingEveryEventKeepsTheNextSeqAcrossReopen() throws IOException {
        Path dir = tmp.resolve("journal");
        try (var journal = new LifecycleJournal(dir, clock)) { // one big file: the active one is old too
            appendMany(journal, 0, 7);
            clock.advance(Duration.ofDays(40));
            assertEquals(1, journal.trim(clock.instant().minus(Duration.ofDays(30))));
            assertEquals(7, journal.lastSeq());
            assertEquals(8, journal.firstRetainedSeq());
            assertEquals(List.of(), journal.eventsAfter(0, 10));
            assertEquals(List.of(dir.resolve(JournalFile.fileName(8))), journalFiles(dir));
            assertEquals(0, journal.trim(clock.instant()), "an empty active file is never deleted");
        }
        try (var journal = new LifecycleJournal(dir, clock)) {
            assertEquals(7, journal.lastSeq());
            assertEquals(8, journal.firstRetainedSeq());
            LifecycleEvent next = journal.append(draft(7));
            assertEquals(8, next.seq());
            assertEquals(List.of(next), journal.eventsAfter(3, 10));
        }
    }

    @Test
    void trimStopsAtTheFirstYoungFileSoRetainedSeqsStayContiguous() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            appendMany(journal, 0, 5); // young (clock stepped back below)
            clock.advance(Duration.ofDays(-10));
            appendMany(journal, 5, 10); // old
            clock.advance(Duration.ofDays(10));
            assertEquals(0, journal.trim(T0.minus(Duration.ofDays(1))));
            assertEquals(1, journal.firstRetainedSeq());
        }
    }
}
