package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tombstone file: what loading keeps of damaged files, orphans, the journaled mark. */
class TombstonesTest {
    private static final List<UUID> FIRST = List.of(new UUID(1, 1), new UUID(1, 2));
    private static final List<UUID> SECOND = List.of(new UUID(2, 1));
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("tombstones");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    /** Writes FIRST (journaled), then SECOND (not journaled) for segment "s"; returns the file's bytes. */
    private byte[] twoDeletes() throws IOException {
        Tombstones tombstones = Tombstones.load(dir, Set.of("s"));
        tombstones.fileLock().lock();
        try {
            tombstones.add(Map.of("s", FIRST));
            tombstones.markJournaled("s");
            tombstones.add(Map.of("s", SECOND));
        } finally {
            tombstones.fileLock().unlock();
        }
        return Files.readAllBytes(dir.resolve("s" + Tombstones.SUFFIX));
    }

    @Test
    void idsAfterTheLastJournaledMarkAreReportedForJournaling() throws IOException {
        twoDeletes();
        Tombstones loaded = Tombstones.load(dir, Set.of("s"));
        assertEquals(Map.of("s", SECOND), loaded.unjournaled());
        assertEquals(Map.of("s", 3), loaded.pendingCounts());
        FIRST.forEach(id -> assertTrue(loaded.isDeleted(id)));
        SECOND.forEach(id -> assertTrue(loaded.isDeleted(id)));
    }

    @Test
    void everyFlippedBitKeepsOnlyWholeFramesBeforeTheDamageAndInventsNoId() throws IOException {
        byte[] good = twoDeletes();
        Set<UUID> written = Set.of(FIRST.get(0), FIRST.get(1), SECOND.get(0));
        Path file = dir.resolve("s" + Tombstones.SUFFIX);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(file, bad);
            Tombstones loaded = Tombstones.load(dir, Set.of("s"));
            int firstFrame = 9 + 16 * FIRST.size();
            Set<UUID> kept = loaded.pending("s");
            assertTrue(written.containsAll(kept), "bit " + bit + " invented an id: " + kept);
            if (bit / 8 < firstFrame) {
                assertTrue(kept.isEmpty(), "bit " + bit + ": a damaged first frame ends the file there");
            } else {
                assertTrue(kept.containsAll(FIRST), "bit " + bit + " lost a frame before the damage");
                FIRST.forEach(id -> assertTrue(loaded.isDeleted(id)));
            }
            if (Files.exists(file)) {
                assertTrue(Files.size(file) <= good.length, "cut, never grown");
            }
        }
    }

    @Test
    void filesOfSegmentsThatAreGoneAreDeletedAndARewriteKeepsOnlyLaterIds() throws IOException {
        twoDeletes();
        Tombstones gone = Tombstones.load(dir, Set.of("other"));
        assertFalse(Files.exists(dir.resolve("s" + Tombstones.SUFFIX)));
        assertTrue(gone.pendingCounts().isEmpty());

        twoDeletes();
        Tombstones loaded = Tombstones.load(dir, Set.of("s"));
        loaded.fileLock().lock();
        try {
            loaded.rewritten("s", Set.copyOf(FIRST));
        } finally {
            loaded.fileLock().unlock();
        }
        assertTrue(loaded.isDeleted(FIRST.getFirst()), "still hidden from readers of the old file");
        Tombstones reloaded = Tombstones.load(dir, Set.of("s"));
        assertEquals(Map.of("s", 1), reloaded.pendingCounts());
        assertTrue(reloaded.unjournaled().isEmpty(), "the trimmed file is journaled");
        assertFalse(reloaded.isDeleted(FIRST.getFirst()), "rewritten away: nothing left to hide");
    }
}
