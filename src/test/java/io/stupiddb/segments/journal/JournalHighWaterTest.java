package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalHighWater}: the two-slot layout of docs/JOURNAL.md, alternating writes, and what a
 * torn write leaves.
 */
class JournalHighWaterTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(JournalHighWater.FILE_NAME);
    }

    private long slot(int index) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file())).getLong(index * JournalHighWater.SLOT_BYTES + 4);
    }

    @Test
    void noFileMeansNoHighWater() throws IOException {
        assertEquals(OptionalLong.empty(), JournalHighWater.read(dir));
    }

    @Test
    void openCreatesBothSlotsHoldingTheSeqInTheDocumentedLayout() throws IOException {
        try (JournalHighWater highWater = JournalHighWater.open(dir, 0x0102030405L)) {
            assertEquals(file(), highWater.path());
        }
        byte[] bytes = Files.readAllBytes(file());
        assertEquals(2 * JournalHighWater.SLOT_BYTES, bytes.length);
        String slot = HexFormat.of().formatHex(bytes, 0, JournalHighWater.SLOT_BYTES);
        assertEquals("53444857" + "0000000102030405", slot.substring(0, 24), "magic SDHW, u64 seq big-endian");
        assertEquals(
                slot, HexFormat.of().formatHex(bytes, JournalHighWater.SLOT_BYTES, bytes.length), "slot 1 = slot 0");
        assertEquals(OptionalLong.of(0x0102030405L), JournalHighWater.read(dir));
    }

    @Test
    void recordsAlternateBetweenTheSlotsAndTheLargerIsRead() throws IOException {
        try (JournalHighWater highWater = JournalHighWater.open(dir, 3)) {
            highWater.record(4);
            assertEquals(4, slot(0));
            assertEquals(3, slot(1));
            highWater.record(5);
            assertEquals(4, slot(0));
            assertEquals(5, slot(1));
            highWater.record(6);
            assertEquals(6, slot(0));
            assertEquals(OptionalLong.of(6), JournalHighWater.read(dir));
        }
    }

    @Test
    void reopeningKeepsAnIntactFileAndRewritesOneOfTheWrongSize() throws IOException {
        try (JournalHighWater highWater = JournalHighWater.open(dir, 3)) {
            highWater.record(9);
        }
        byte[] before = Files.readAllBytes(file());
        JournalHighWater.open(dir, 1).close(); // the seq only seeds a new file
        assertArrayEquals(before, Files.readAllBytes(file()));

        Files.write(file(), new byte[] {1, 2, 3});
        JournalHighWater.open(dir, 12).close();
        assertEquals(2 * JournalHighWater.SLOT_BYTES, Files.size(file()));
        assertEquals(OptionalLong.of(12), JournalHighWater.read(dir));
    }

    @Test
    void aDamagedSlotLeavesTheOtherAndBothDamagedIsCorruption() throws IOException {
        try (JournalHighWater highWater = JournalHighWater.open(dir, 7)) {
            highWater.record(8); // slot 0: 8, slot 1: 7
        }
        byte[] intact = Files.readAllBytes(file());
        for (int offset = 0; offset < intact.length; offset++) {
            byte[] damaged = intact.clone();
            damaged[offset] ^= 0x20;
            Files.write(file(), damaged);
            long expected = offset < JournalHighWater.SLOT_BYTES ? 7 : 8;
            assertEquals(OptionalLong.of(expected), JournalHighWater.read(dir), "byte " + offset + " flipped");
        }
        Files.write(file(), Arrays.copyOf(intact, JournalHighWater.SLOT_BYTES + 5)); // slot 1 cut short
        assertEquals(OptionalLong.of(8), JournalHighWater.read(dir));

        Files.write(file(), new byte[2 * JournalHighWater.SLOT_BYTES]);
        var e = assertThrows(JournalCorruptedException.class, () -> JournalHighWater.read(dir));
        assertEquals(file(), e.path());
        assertTrue(e.getMessage().contains("neither slot"), e.getMessage());
    }
}
