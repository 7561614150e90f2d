package io.stupiddb.segments.id;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentIdTest {

    @Test
    void formatsAsNodeAndThirteenDigitNumber() {
        assertEquals("0007-1795600800000", new SegmentId(7, 1_795_600_800_000L).toString());
        assertEquals("1023-0000000000001", new SegmentId(1023, 1).toString());
    }

    @Test
    void parsesWhatItFormats() {
        SegmentId id = new SegmentId(42, 1_795_600_800_123L);
        assertEquals(Optional.of(id), SegmentId.parse(id.toString()));
        assertEquals(1_795_600_800_123L, SegmentId.numberOf(id.toString()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "crash",
                "0007-179560080000",
                "0007_1795600800000",
                "1024-1795600800000",
                "0007-17956008000a0",
                "00071795600800000",
                "a007-1795600800000",
                "0007-1795600800000-x"
            })
    void idsOfOtherFormsStayOpaque(String text) {
        assertEquals(Optional.empty(), SegmentId.parse(text));
        assertEquals(0, SegmentId.numberOf(text));
    }

    @Test
    void nextIsTheTimeOrOneMoreThanThePrevious() {
        assertEquals(new SegmentId(3, 2_000), SegmentId.next(3, 2_000, 1_000));
        assertEquals(new SegmentId(3, 1_001), SegmentId.next(3, 1_000, 1_000), "clock did not move on");
        assertEquals(new SegmentId(3, 1_001), SegmentId.next(3, 500, 1_000), "clock went back");
    }

    @Test
    void orderOfTextIsOrderOfCreation() {
        assertTrue(new SegmentId(0, 999).toString().compareTo(new SegmentId(0, 1_000).toString()) < 0);
    }

    @Test
    void rejectsOutOfRangeParts() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentId(1024, 1));
        assertThrows(IllegalArgumentException.class, () -> new SegmentId(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SegmentId(0, 10_000_000_000_000L));
    }
}
