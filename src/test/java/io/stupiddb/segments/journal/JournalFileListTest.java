package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link JournalFileList}: the retained files oldest first, the active one last. */
class JournalFileListTest {

    private static JournalFile file(long firstSeq) {
        return new JournalFile(Path.of(JournalFile.fileName(firstSeq)), firstSeq);
    }

    private static JournalFileList listOf(JournalFile... files) {
        TreeMap<Long, JournalFile> map = new TreeMap<>();
        for (JournalFile file : files) {
            map.put(file.firstSeq, file);
        }
        return new JournalFileList(map);
    }

    @Test
    void aJournalAlwaysHasAnActiveFile() {
        assertThrows(IllegalArgumentException.class, () -> new JournalFileList(new TreeMap<>()));
    }

    @Test
    void newFilesBecomeActiveAndRemovedOnesMoveTheFirstRetainedSeq() {
        JournalFile first = file(1);
        first.committed(1, 16, 100, 0);
        first.committed(2, 100, 200, 0);
        JournalFileList list = listOf(first);
        assertSame(first, list.active());
        assertEquals(1, list.firstRetainedSeq());

        JournalFile second = file(3);
        list.add(second);
        assertSame(second, list.active());
        assertEquals(List.of(first, second), List.copyOf(list.oldestFirst()));

        list.committed(second, 3, 16, 90, 0);
        assertEquals(3, second.lastSeq());
        long snapshot = list.read(files -> files.lastEntry().getValue().committedBytes());
        assertEquals(90, snapshot);

        list.removeAll(List.of(first));
        assertEquals(3, list.firstRetainedSeq());
        assertEquals(List.of(second), List.copyOf(list.oldestFirst()));
        assertSame(second, list.active());
    }
}
