package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FormatVersion}: what this build writes and the range it reads (docs/FORMAT.md, "Versioning"). */
class FormatVersionTest {

    @Test
    void writesVersionTwoAndReadsExactlyTheSupportedRange() {
        assertEquals(2, FormatVersion.CURRENT);
        assertEquals(1, FormatVersion.OLDEST_READABLE, "v1 files stay readable");
        assertTrue(FormatVersion.OLDEST_READABLE <= FormatVersion.CURRENT);
        for (int version = FormatVersion.OLDEST_READABLE; version <= FormatVersion.CURRENT; version++) {
            assertTrue(FormatVersion.isReadable(version), "version " + version);
        }
        assertFalse(FormatVersion.isReadable(FormatVersion.OLDEST_READABLE - 1));
        assertFalse(FormatVersion.isReadable(FormatVersion.CURRENT + 1), "a newer writer's files");
        assertFalse(FormatVersion.isReadable(0));
        assertFalse(FormatVersion.isReadable(-1));
        assertFalse(FormatVersion.isReadable(0xFFFF));
    }
}
