package io.stupiddb.segments.journal;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static io.stupiddb.segments.journal.JournalFixtures.T0;
import static io.stupiddb.segments.journal.JournalFixtures.appendMany;
import static io.stupiddb.segments.journal.JournalFixtures.copyDir;
import static io.stupiddb.segments.journal.JournalFixtures.crashedBeforeHighWaterOf;
import static io.stupiddb.segments.journal.JournalFixtures.draft;
import static io.stupiddb.segments.journal.JournalFixtures.journalFiles;
import static io.stupiddb.segments.journal.JournalFixtures.recordBoundaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalRecovery}: what opening a journal keeps, cuts and refuses — torn tails at every
 * byte, bit flips, truncations, lost files and high-water slots, leftovers.
 */
class JournalRecoveryTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void tornTailAtEveryByteOfTheLastRecordKeepsExactlyTheCompleteRecords() throws IOException {
        Path original = tmp.resolve("original");
        List<LifecycleEvent> written;
        try (var journal = new LifecycleJournal(original, clock, 700)) {
            written = appendMany(journal, 0, 14); // several files; the torn record is in the newest
        }
        List<Path> files = journalFiles(original);
        Path newest = files.getLast();
        long[] boundaries = recordBoundaries(newest);
        long lastStart = boundaries[boundaries.length - 2];
        long end = boundaries[boundaries.length - 1];
        byte[] bytes = Files.readAllBytes(newest);
        List<LifecycleEvent> complete = written.subList(0, written.size() - 1);

        for (long cut = lastStart; cut < end; cut++) {
            for (boolean zeroFilled : new boolean[] {false, true}) {
                Path dir = tmp.resolve("cut-" + cut + "-" + zeroFilled);
                copyDir(original, dir);
                Path target = dir.resolve(newest.getFileName());
                byte[] damaged = zeroFilled ? bytes.clone() : Arrays.copyOf(bytes, (int) cut);
                if (zeroFilled) {
                    // The size made it to disk, the data after `cut` did not.
                    Arrays.fill(damaged, (int) cut, damaged.length, (byte) 0);
                }
                Files.write(target, damaged);
                crashedBeforeHighWaterOf(dir, written.size() - 1);
                // Zeroing bytes that were zero already (the end of a record often is) damages nothing.
                List<LifecycleEvent> expected = Arrays.equals(damaged, bytes) ? written : complete;
                // After a cut, the seq the cut record may have had is skipped, never reused.
                // (A file cut exactly at the record boundary ends cleanly: nothing to cut, nothing skipped.)
                int skipped = expected != written && (zeroFilled || cut > lastStart) ? 1 : 0;
                try (var journal = new LifecycleJournal(dir, clock, 700)) {
                    String where = "cut at " + cut + (zeroFilled ? " (zero-filled)" : "");
                    assertEquals(expected.size() + skipped, journal.lastSeq(), where);
                    assertEquals(expected, journal.eventsAfter(0, 100), where);
                    assertEquals(
                            expected == written ? end : lastStart,
                            Files.size(target),
                            where + ": truncated to the record boundary");
                    LifecycleEvent next = journal.append(draft(99));
                    assertEquals(expected.size() + skipped + 1, next.seq());
                    assertEquals(List.of(next), journal.eventsAfter(expected.size(), 100), where);
                }
                try (var reopened = new LifecycleJournal(dir, clock, 700)) {
                    assertEquals(expected.size() + skipped + 1, reopened.lastSeq());
                    assertEquals(
                            expected.size() + 1, reopened.eventsAfter(0, 100).size());
                }
            }
        }
    }

    @Test
    void tornTailThatEmptiesTheNewestFileSkipsTheCutSeq() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            int files = journalFiles(tmp).size();
            for (int i = 0; journalFiles(tmp).size() == files; i++) {
                journal.append(draft(i)); // until an append rolls: the new file holds that one record
            }
        }
        Path newest = journalFiles(tmp).getLast();
        long firstSeq = JournalFile.firstSeqOf(newest.getFileName().toString()).orElseThrow();
        long[] boundaries = recordBoundaries(newest);
        assertEquals(2, boundaries.length, "exactly one record in the newest file");
        try (var channel = java.nio.channels.FileChannel.open(newest, StandardOpenOption.WRITE)) {
            channel.truncate(boundaries[0] + 5);
        }
        crashedBeforeHighWaterOf(tmp, firstSeq - 1);
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            assertEquals(firstSeq, journal.lastSeq(), "the cut record's seq counts as used");
            assertEquals(firstSeq + 1, journal.append(draft(1)).seq());
        }
        try (var reopened = new LifecycleJournal(tmp, clock, 300)) {
            assertEquals(firstSeq + 1, reopened.lastSeq(), "the gap is deliberate, not a missing file");
        }
    }

    @Test
    void bitFlipInAnyEarlierRecordOfTheNewestFileIsCorruptionNotATornTail() throws IOException {
        Path original = tmp.resolve("original");
        try (var journal = new LifecycleJournal(original, clock)) {
            appendMany(journal, 0, 4);
        }
        Path file = journalFiles(original).getFirst();
        long[] boundaries = recordBoundaries(file);
        byte[] bytes = Files.readAllBytes(file);
        long lastRecord = boundaries[boundaries.length - 2];
        int checked = 0;
        Path dir = tmp.resolve("damaged");
        Files.createDirectories(dir);
        Path target = dir.resolve(file.getFileName());
        for (int offset = 0; offset < lastRecord; offset++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = bytes.clone();
                damaged[offset] ^= (byte) (1 << bit);
                Files.write(target, damaged);
                String what = "bit " + bit + " of byte " + offset + " flipped";
                var e = assertThrows(
                        JournalCorruptedException.class,
                        () -> new LifecycleJournal(dir, clock).close(),
                        () -> what + ": the journal opened anyway");
                assertEquals(target, e.path());
                long expectedOffset = 0;
                for (long b : boundaries) {
                    if (b <= offset) {
                        expectedOffset = b;
                    }
                }
                assertEquals(offset < JournalCodec.HEADER_BYTES ? 0 : expectedOffset, e.offset(), what);
                assertTrue(e.getMessage().contains(target.toString()));
                checked++;
            }
        }
        assertTrue(checked > 1000);
    }

    @Test
    void bitFlipInTheNewestRecordIsCorruptionOnceItWasAcknowledged() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 3);
        }
        Path file = journalFiles(tmp).getFirst();
        long[] boundaries = recordBoundaries(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) boundaries[2] + 20] ^= 1; // inside the last record's payload
        Files.write(file, bytes);
        var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock).close());
        assertEquals(file, e.path());
        assertEquals(boundaries[2], e.offset());
        assertTrue(e.getMessage().contains("seq 3 was acknowledged"), e.getMessage());
        assertEquals(bytes.length, Files.size(file), "nothing truncated before the refusal");
    }

    @Test
    void withoutAHighWaterFileABadNewestRecordIsCutAsATornAppend() throws IOException {
        List<LifecycleEvent> written;
        try (var journal = new LifecycleJournal(tmp, clock)) {
            written = appendMany(journal, 0, 3);
        }
        Files.delete(tmp.resolve(JournalHighWater.FILE_NAME)); // a journal of an earlier version
        Path file = journalFiles(tmp).getFirst();
        long[] boundaries = recordBoundaries(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) boundaries[2] + 20] ^= 1;
        Files.write(file, bytes);
        try (var journal = new LifecycleJournal(tmp, clock)) {
            assertEquals(written.subList(0, 2), journal.eventsAfter(0, 10));
            // ... but its seq is never given to another event: a consumer may have seen seq 3.
            assertEquals(4, journal.append(draft(9)).seq());
        }
        assertEquals(OptionalLong.of(4), JournalHighWater.read(tmp), "the high-water file is back");
    }

    @Test
    void truncationAtARecordBoundaryIsCorruption() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 6);
        }
        Path file = journalFiles(tmp).getFirst();
        long[] boundaries = recordBoundaries(file);
        for (int keep = 5; keep >= 0; keep--) {
            try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(boundaries[keep]);
            }
            String what = "cut after " + keep + " records";
            var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock).close(), what);
            assertEquals(file, e.path(), what);
            assertTrue(e.getMessage().contains("ends at seq " + keep + " but seq 6 was acknowledged"), e.getMessage());
        }
    }

    @Test
    void missingNewestFileIsCorruption() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            appendMany(journal, 0, 12);
        }
        List<Path> files = journalFiles(tmp);
        Files.delete(files.getLast());
        var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock, 300).close());
        assertEquals(files.get(files.size() - 2), e.path());
        assertTrue(e.getMessage().contains("but seq 12 was acknowledged"), e.getMessage());
    }

    @Test
    void oneTornHighWaterSlotLeavesTheOtherAndTheJournalOpens() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 5); // slots hold 5 and 4
        }
        Path highWater = tmp.resolve(JournalHighWater.FILE_NAME);
        for (int slot = 0; slot < 2; slot++) {
            byte[] bytes = Files.readAllBytes(highWater);
            byte[] damaged = bytes.clone();
            damaged[slot * JournalHighWater.SLOT_BYTES + 9] ^= 0x40;
            Files.write(highWater, damaged);
            long read = JournalHighWater.read(tmp).orElseThrow();
            assertTrue(read == 4 || read == 5, "slot " + slot + " torn: a lower bound survives, got " + read);
            try (var journal = new LifecycleJournal(tmp, clock)) {
                assertEquals(5, journal.lastSeq());
            }
            Files.write(highWater, bytes);
        }
    }

    @Test
    void damageInAnOlderFileIsCorruptionEvenAtItsEnd() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            appendMany(journal, 0, 12);
        }
        List<Path> files = journalFiles(tmp);
        assertTrue(files.size() >= 3);
        Path older = files.get(1);
        long size = Files.size(older);
        try (var channel = java.nio.channels.FileChannel.open(older, StandardOpenOption.WRITE)) {
            channel.truncate(size - 1); // a "torn" tail, but not in the newest file
        }
        var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock, 300));
        assertEquals(older, e.path());
        assertTrue(e.getMessage().contains("only the newest file"), e.getMessage());
    }

    @Test
    void missingMiddleFileIsCorruption() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 300)) {
            appendMany(journal, 0, 12);
        }
        List<Path> files = journalFiles(tmp);
        Files.delete(files.get(1));
        var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock, 300));
        assertEquals(files.get(2), e.path());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void damagedHeaderIsCorruption() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            appendMany(journal, 0, 2);
        }
        Path file = journalFiles(tmp).getFirst();
        Files.move(file, tmp.resolve(JournalFile.fileName(7))); // name and header disagree
        var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(tmp, clock));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("file name says 7"), e.getMessage());
    }

    @Test
    void leftoverTemporaryFileIsRemovedAndOtherFilesAreIgnored() throws IOException {
        Files.createDirectories(tmp);
        Files.write(tmp.resolve(JournalFile.fileName(1) + ".tmp"), new byte[] {1, 2, 3});
        Files.writeString(tmp.resolve("README"), "not a journal file");
        try (var journal = new LifecycleJournal(tmp, clock)) {
            assertEquals(1, journal.append(draft(0)).seq());
        }
        assertFalse(Files.exists(tmp.resolve(JournalFile.fileName(1) + ".tmp")));
        assertTrue(Files.exists(tmp.resolve("README")));
    }
}
