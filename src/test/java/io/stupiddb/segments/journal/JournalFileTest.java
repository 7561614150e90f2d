package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JournalFile}: file names, the committed range, and the sparse index a read starts from. */
class JournalFileTest {

    private static final Path PATH = Path.of("journal", JournalFile.fileName(101));

    @Test
    void fileNamesHoldTheFirstSeqInTwentyDigitsAndNothingElseParses() {
        assertEquals("journal-00000000000000000001.log", JournalFile.fileName(1));
        assertEquals("journal-09223372036854775807.log", JournalFile.fileName(Long.MAX_VALUE));
        assertEquals(OptionalLong.of(4711), JournalFile.firstSeqOf(JournalFile.fileName(4711)));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), JournalFile.firstSeqOf(JournalFile.fileName(Long.MAX_VALUE)));
        for (String other : new String[] {
            "journal-00000000000000000000.log", // seqs start at 1
            "journal-99999999999999999999.log", // above Long.MAX_VALUE
            "journal-0000000000000000001.log", // 19 digits
            "journal-00000000000000000001.log.tmp", // a file being created
            "journal-00000000000000000001.LOG",
            "high-water",
            "README"
        }) {
            assertEquals(OptionalLong.empty(), JournalFile.firstSeqOf(other), other);
        }
    }

    @Test
    void aNewFileIsEmptyAndEndsAfterItsHeader() {
        JournalFile file = new JournalFile(PATH, 101);
        assertTrue(file.isEmpty());
        assertEquals(100, file.lastSeq());
        assertEquals(JournalCodec.HEADER_BYTES, file.committedBytes());
        assertEquals(Long.MIN_VALUE, file.newestAtMillis());
        assertFalse(file.afterCut);
        assertFalse(file.tailCut);
    }

    @Test
    void committedRecordsAdvanceTheEndAndKeepTheNewestTime() {
        JournalFile file = new JournalFile(PATH, 101);
        file.committed(101, 16, 80, 5_000);
        file.committed(102, 80, 150, 4_000); // a clock stepped back: the newest time stays
        assertFalse(file.isEmpty());
        assertEquals(102, file.lastSeq());
        assertEquals(150, file.committedBytes());
        assertEquals(5_000, file.newestAtMillis());
    }

    @Test
    void aSeqThatDoesNotFollowTheLastIsRefused() {
        JournalFile file = new JournalFile(PATH, 101);
        assertThrows(IllegalStateException.class, () -> file.committed(102, 16, 80, 0));
        file.committed(101, 16, 80, 0);
        assertThrows(IllegalStateException.class, () -> file.committed(101, 80, 150, 0));
        assertThrows(IllegalStateException.class, () -> file.committed(103, 80, 150, 0));
        assertEquals(101, file.lastSeq());
        assertEquals(80, file.committedBytes());
    }

    @Test
    void readsStartAtTheIndexedRecordAtOrBeforeTheirSeq() {
        int interval = JournalFile.INDEX_INTERVAL;
        JournalFile file = new JournalFile(PATH, 101);
        int records = 3 * interval + 5;
        for (int i = 0; i < records; i++) {
            long offset = JournalCodec.HEADER_BYTES + 100L * i; // record i at a recognisable offset
            file.committed(101 + i, offset, offset + 100, i);
        }
        for (int i = 0; i < records; i++) {
            long seq = 101 + i;
            int slot = i / interval;
            assertEquals(101 + (long) slot * interval, file.scanStartSeq(seq), "seq " + seq);
            assertEquals(JournalCodec.HEADER_BYTES + 100L * slot * interval, file.scanStartOffset(seq), "seq " + seq);
        }
    }

    @Test
    void aSeqPastTheLastIndexedRecordStartsAtTheLastIndexEntry() {
        JournalFile file = new JournalFile(PATH, 1);
        file.committed(1, 16, 100, 0);
        file.committed(2, 100, 200, 0);
        long far = 1 + 5L * JournalFile.INDEX_INTERVAL; // no index slot of its own
        assertEquals(1, file.scanStartSeq(far));
        assertEquals(16, file.scanStartOffset(far));
    }
}
