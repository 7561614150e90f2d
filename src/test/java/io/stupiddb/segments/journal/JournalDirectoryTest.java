package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.stupiddb.segments.journal.JournalFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JournalDirectory}: which names are journal files, crash-safe creation, and leftovers. */
class JournalDirectoryTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createFileWritesTheHeaderUnderTheFinalNameAndLeavesNoTemporaryFile() throws IOException {
        JournalFile file = JournalDirectory.createFile(dir, 42, false);
        assertEquals(dir.resolve(JournalFile.fileName(42)), file.path);
        assertEquals(42, file.firstSeq);
        assertTrue(file.isEmpty());
        assertFalse(file.afterCut);
        assertArrayEquals(bytes(JournalCodec.header(42, false)), Files.readAllBytes(file.path));
        assertEquals(List.of(JournalFile.fileName(42)), names());

        JournalFile cut = JournalDirectory.createFile(dir, 44, true);
        assertTrue(cut.afterCut);
        assertTrue(JournalCodec.afterCut(ByteBuffer.wrap(Files.readAllBytes(cut.path))));
    }

    @Test
    void createFileNeverOverwritesAnExistingFile() throws IOException {
        Path existing = dir.resolve(JournalFile.fileName(7));
        Files.writeString(existing, "keep me");
        var e = assertThrows(IOException.class, () -> JournalDirectory.createFile(dir, 7, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("keep me", Files.readString(existing));
        assertEquals(List.of(JournalFile.fileName(7)), names());
    }

    @Test
    void listFindsJournalFilesBySeqAndIgnoresEverythingElse() throws IOException {
        JournalDirectory.createFile(dir, 1, false);
        JournalDirectory.createFile(dir, 300, false);
        JournalDirectory.createFile(dir, 12, false);
        Files.writeString(dir.resolve("README"), "not a journal file");
        Files.writeString(dir.resolve(JournalFile.fileName(500) + ".tmp"), "unfinished");
        Files.writeString(dir.resolve("journal-00000000000000000000.log"), "seq 0 does not exist");
        Files.createDirectory(dir.resolve(JournalFile.fileName(900))); // not a regular file
        Files.writeString(dir.resolve(JournalHighWater.FILE_NAME), "");

        Map<Long, Path> found = JournalDirectory.list(dir);
        assertEquals(List.of(1L, 12L, 300L), List.copyOf(found.keySet()));
        assertEquals(dir.resolve(JournalFile.fileName(12)), found.get(12L));
    }

    @Test
    void deleteLeftoversRemovesOnlyUnfinishedJournalFiles() throws IOException {
        JournalDirectory.createFile(dir, 1, false);
        Files.writeString(dir.resolve(JournalFile.fileName(5) + ".tmp"), "unfinished");
        Files.writeString(dir.resolve(JournalFile.fileName(9) + ".tmp"), "");
        Files.writeString(dir.resolve("notes.tmp"), "not ours");

        JournalDirectory.deleteLeftovers(dir);
        assertEquals(List.of(JournalFile.fileName(1), "notes.tmp"), names());
        JournalDirectory.deleteLeftovers(dir); // nothing left: nothing to do
        assertEquals(List.of(JournalFile.fileName(1), "notes.tmp"), names());
    }
}
