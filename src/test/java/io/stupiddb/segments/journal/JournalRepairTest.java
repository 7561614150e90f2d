package io.stupiddb.segments.journal;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;

import static io.stupiddb.segments.journal.JournalFixtures.T0;
import static io.stupiddb.segments.journal.JournalFixtures.appendMany;
import static io.stupiddb.segments.journal.JournalFixtures.draft;
import static io.stupiddb.segments.journal.JournalFixtures.journalFiles;
import static io.stupiddb.segments.journal.JournalFixtures.recordBoundaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JournalRepair} (through {@link LifecycleJournal#repair}): damage set aside, seqs never reused. */
class JournalRepairTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void highWaterFileWithBothSlotsDamagedIsCorruptionAndRepairSetsItAside() throws IOException {
        List<LifecycleEvent> written;
        try (var journal = new LifecycleJournal(tmp, clock)) {
            written = appendMany(journal, 0, 5);
        }
        Path highWater = tmp.resolve(JournalHighWater.FILE_NAME);
        Files.write(highWater, new byte[2 * JournalHighWater.SLOT_BYTES]);
        var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock).close());
        assertEquals(highWater, e.path());

        List<Path> moved = LifecycleJournal.repair(tmp, clock);
        assertEquals(1, moved.size());
        try (var journal = new LifecycleJournal(tmp, clock)) {
            assertEquals(written, journal.eventsAfter(0, 10), "the journal itself was intact");
        }
        assertEquals(OptionalLong.of(5), JournalHighWater.read(tmp));
    }

    @Test
    void repairAfterATruncationAtARecordBoundaryNeverReusesAnAcknowledgedSeq() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 40);
        }
        Path file = journalFiles(tmp).getFirst();
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(recordBoundaries(file)[1]); // one record left: capacity alone says seq <= 2-ish
        }
        assertEquals(1, LifecycleJournal.repair(tmp, clock).size());
        try (var journal = new LifecycleJournal(tmp, clock)) {
            assertTrue(journal.lastSeq() >= 40, "seqs up to 40 were acknowledged, got " + journal.lastSeq());
            assertTrue(journal.append(draft(1)).seq() > 40);
        }
    }

    @Test
    void repairSetsAsideADamagedOlderFileAndKeepsTheRest() throws IOException {
        List<LifecycleEvent> written;
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            written = appendMany(journal, 0, 12);
        }
        List<Path> files = journalFiles(tmp);
        byte[] bytes = Files.readAllBytes(files.get(1));
        bytes[JournalCodec.HEADER_BYTES + 20] ^= 4;
        Files.write(files.get(1), bytes);
        assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock, 300));

        List<Path> moved = LifecycleJournal.repair(tmp, clock);
        assertEquals(2, moved.size());
        assertTrue(moved.stream().allMatch(Files::exists));
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            long firstRetained = JournalFile.firstSeqOf(
                            files.get(2).getFileName().toString())
                    .orElseThrow();
            assertEquals(firstRetained, journal.firstRetainedSeq());
            assertEquals(written.subList((int) firstRetained - 1, written.size()), journal.eventsAfter(0, 100));
            assertEquals(13, journal.append(draft(12)).seq());
        }
        assertEquals(List.of(), LifecycleJournal.repair(tmp, clock), "healthy journal: nothing to do");
    }

    @Test
    void repairOfTheNewestFileNeverReusesASeq() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 5);
        }
        Path file = journalFiles(tmp).getFirst();
        long[] boundaries = recordBoundaries(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) boundaries[1] + 30] ^= 1;
        Files.write(file, bytes);

        assertEquals(1, LifecycleJournal.repair(tmp, clock).size());
        try (var journal = new LifecycleJournal(tmp, clock)) {
            assertTrue(journal.lastSeq() >= 5, "seqs 1..5 may have been seen by consumers");
            assertEquals(journal.lastSeq() + 1, journal.firstRetainedSeq());
            assertEquals(List.of(), journal.eventsAfter(0, 10));
            assertTrue(journal.append(draft(5)).seq() > 5);
        }
    }
}
