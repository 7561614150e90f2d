package io.stupiddb.segments.journal;

import io.stupiddb.segments.lifecycle.Retention;
import io.stupiddb.segments.testing.MutableClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleJournalTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);


    private static LifecycleEvent.Draft draft(int i) {
        String segment = "seg-" + i;
        return switch (i % 4) {
            case 0 -> LifecycleEvent.Draft.sealed(segment, 1000L + i, 2000L + i, i);
            case 1 -> LifecycleEvent.Draft.archived(segment, null, 2000L + i, i);
            case 2 -> LifecycleEvent.Draft.evicted(segment, EvictionReason.values()[i % 3], 1000L, null, i);
            default -> LifecycleEvent.Draft.quarantined(segment, "bad footer #" + i, null, null, 0);
        };
    }

    private static List<LifecycleEvent> appendMany(LifecycleJournal journal, int from, int count) throws IOException {
        List<LifecycleEvent> appended = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            appended.add(journal.append(draft(i)));
        }
        return appended;
    }

    private static List<Path> journalFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("journal-\\d{20}\\.log")).sorted().toList();
        }
    }

    private static List<Long> seqs(List<LifecycleEvent> events) {
        return events.stream().map(LifecycleEvent::seq).toList();
    }

    /**
     * What the high-water file holds after a crash between forcing the record of seq + 1 and
     * recording it there: seq. (A test that cuts the last record models that crash.)
     */
    private static void crashedBeforeHighWaterOf(Path dir, long seq) throws IOException {
        Files.deleteIfExists(dir.resolve(JournalHighWater.FILE_NAME));
        JournalHighWater.open(dir, seq).close();
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path p : journalFiles(from)) {
            Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Append, read, reopen

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
        assertEquals(List.of(tmp.resolve("journal/journal-00000000000000000001.log")),
                journalFiles(tmp.resolve("journal")));
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
    void eventsAfterHonoursAfterAndLimitAcrossFilesAndIndexSlots() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock, 16 * 1024)) { // ~200 events a file
            List<LifecycleEvent> all = appendMany(journal, 0, 700);
            assertTrue(journalFiles(tmp).size() >= 3);
            long[] afters = {0, 1, 63, 64, 65, 127, 128, 199, 200, 201, 350, 698, 699, 700, 701, 10_000, Long.MAX_VALUE};
            for (long after : afters) {
                for (int limit : new int[] {1, 2, 63, 64, 65, 250, 1000}) {
                    int fromIndex = (int) Math.min(after, all.size());
                    int toIndex = (int) Math.min((long) fromIndex + limit, all.size());
                    assertEquals(all.subList(fromIndex, toIndex), journal.eventsAfter(after, limit),
                            "after=" + after + " limit=" + limit);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> journal.eventsAfter(-1, 10));
            assertThrows(IllegalArgumentException.class, () -> journal.eventsAfter(0, 0));
        }
    }

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
                        .takeWhile(e -> e.seq() < first + 1000).count();
                assertTrue(records > 0);
                // A file stops taking records once it reaches max; the one that crossed it is the last.
                assertTrue(Files.size(file) < max + 200, name + " is " + Files.size(file) + " bytes");
                int count = countRecords(file);
                expectedFirst = first + count;
            }
            assertEquals(41, expectedFirst);
        }
    }

    private static int countRecords(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int count = 0;
        for (int p = JournalCodec.HEADER_BYTES; p < bytes.length; count++) {
            int length = java.nio.ByteBuffer.wrap(bytes, p, 4).getInt();
            p += JournalCodec.FRAME_OVERHEAD + length;
        }
        return count;
    }

    @Test
    void closedJournalRefusesUse() throws IOException {
        var journal = new LifecycleJournal(tmp, clock);
        journal.close();
        journal.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> journal.append(draft(0)));
        assertThrows(IllegalStateException.class, () -> journal.eventsAfter(0, 1));
    }

    // ---------------------------------------------------------------------------------------------
    // Recovery

    /** Offsets of every record in a file, plus the file length at the end. */
    private static long[] recordBoundaries(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Long> offsets = new ArrayList<>();
        int p = JournalCodec.HEADER_BYTES;
        while (p < bytes.length) {
            offsets.add((long) p);
            p += JournalCodec.FRAME_OVERHEAD + java.nio.ByteBuffer.wrap(bytes, p, 4).getInt();
        }
        offsets.add((long) p);
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

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
                    assertEquals(expected == written ? end : lastStart, Files.size(target),
                            where + ": truncated to the record boundary");
                    LifecycleEvent next = journal.append(draft(99));
                    assertEquals(expected.size() + skipped + 1, next.seq());
                    assertEquals(List.of(next), journal.eventsAfter(expected.size(), 100), where);
                }
                try (var reopened = new LifecycleJournal(dir, clock, 700)) {
                    assertEquals(expected.size() + skipped + 1, reopened.lastSeq());
                    assertEquals(expected.size() + 1, reopened.eventsAfter(0, 100).size());
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
                var e = assertThrows(JournalCorruptedException.class, () -> new LifecycleJournal(dir, clock).close(),
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

    // ---------------------------------------------------------------------------------------------
    // Repair

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
            long firstRetained = JournalFile.firstSeqOf(files.get(2).getFileName().toString()).orElseThrow();
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

    // ---------------------------------------------------------------------------------------------
    // Retention

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
            appendMany(journal, 0, 5);              // young (clock stepped back below)
            clock.advance(Duration.ofDays(-10));
            appendMany(journal, 5, 10);             // old
            clock.advance(Duration.ofDays(10));
            assertEquals(0, journal.trim(T0.minus(Duration.ofDays(1))));
            assertEquals(1, journal.firstRetainedSeq());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Listeners

    @Test
    void listenersSeeEachEventOnceInOrderAfterItIsReadable() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            List<LifecycleEvent> seen = Collections.synchronizedList(new ArrayList<>());
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            LifecycleListener listener = event -> {
                try {
                    // Durable first: the event is already in the file when the listener runs.
                    if (!journal.eventsAfter(event.seq() - 1, 1).equals(List.of(event))) {
                        problems.add("event " + event.seq() + " not readable yet");
                    }
                } catch (IOException e) {
                    problems.add(e.toString());
                }
                seen.add(event);
            };
            journal.addListener(listener);
            journal.addListener(listener); // no double delivery
            journal.addListener(event -> {
                throw new IllegalStateException("a failing listener must not break the others");
            });
            List<LifecycleEvent> appended = appendMany(journal, 0, 20);
            assertEquals(appended, seen);
            assertEquals(List.of(), problems);

            journal.removeListener(listener);
            journal.append(draft(20));
            assertEquals(20, seen.size());
        }
    }

    @Test
    void listenerThatAppendsSeesEventsInSeqOrder() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            List<Long> first = new ArrayList<>();
            List<Long> second = new ArrayList<>();
            journal.addListener(event -> {
                first.add(event.seq());
                if (event.type() == LifecycleEventType.SEGMENT_EVICTED) {
                    try {
                        journal.append(LifecycleEvent.Draft.sealed("follow-up-" + event.seq(), null, null, 0));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            journal.addListener(event -> second.add(event.seq()));
            journal.append(LifecycleEvent.Draft.evicted("s", EvictionReason.MANUAL, null, null, 1));
            journal.append(draft(0));
            assertEquals(List.of(1L, 2L, 3L), first);
            assertEquals(List.of(1L, 2L, 3L), second);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Concurrency

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
                            mine.add(journal.append(draft(thread * perThread + i)).seq());
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
                List<Long> expected = java.util.stream.LongStream.rangeClosed(1, threads * perThread).boxed().toList();
                assertEquals(expected, all);
                assertEquals(expected, delivered, "listeners saw every event once, in seq order");
                assertEquals(expected, seqs(journal.eventsAfter(0, 10_000)));
            }
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
                            assertEquals(events.get(i - 1).seq() + 1, events.get(i).seq());
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
