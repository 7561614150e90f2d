package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The message names the file (for operators); the parts an API answer may show carry no path. */
class CorruptSegmentExceptionTest {

    @Test
    void theMessageNamesTheFileThePartsDoNot() {
        Path file = Path.of("/var/lib/segments/0000-1795967668384.seg");
        CorruptSegmentException e = new CorruptSegmentException(file, 6368, "record checksum mismatch");
        assertEquals(file + " at byte 6368: record checksum mismatch", e.getMessage());
        assertEquals(Optional.of("0000-1795967668384"), e.segmentId());
        assertEquals(6368, e.offset());
        assertEquals("record checksum mismatch", e.problem());
    }

    @Test
    void theSegmentIdIsTheFileNameBeforeItsSuffix() {
        assertEquals(
                Optional.of("0000-1"), new CorruptSegmentException(Path.of("d/0000-1.active"), 0, "x").segmentId());
        assertEquals(Optional.of("0000-1"), new CorruptSegmentException(Path.of("0000-1.seg.tmp"), 0, "x").segmentId());
        assertEquals(Optional.empty(), new CorruptSegmentException(null, 0, "x").segmentId());
    }
}
