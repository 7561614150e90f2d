package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SegmentIndex}: entries read back in place, and the binary search at every edge, in the
 * unsigned order of the canonical UUID text (an id starting with {@code f} sorts after one with
 * {@code 0}, although its most significant long is negative).
 */
class SegmentIndexTest {
    private static final long INDEX_OFFSET = 16; // the index sits behind other bytes in a file
    private static final UUID[] IDS = {
        UUID.fromString("00000000-0000-7000-8000-000000000001"),
        UUID.fromString("00000000-0000-7000-8000-000000000003"),
        UUID.fromString("00000000-0000-7000-f000-000000000000"),
        UUID.fromString("7fffffff-ffff-7fff-8000-000000000000"),
        UUID.fromString("f0000000-0000-7000-8000-000000000000")
    };
    private static final MemorySegment DATA = index(IDS);

    @Test
    void entriesReadBackInPlace() {
        for (int i = 0; i < IDS.length; i++) {
            assertEquals(IDS[i].getMostSignificantBits(), SegmentIndex.entryMsb(DATA, INDEX_OFFSET, i));
            assertEquals(IDS[i].getLeastSignificantBits(), SegmentIndex.entryLsb(DATA, INDEX_OFFSET, i));
            assertEquals(1000L * i, SegmentIndex.entryOffset(DATA, INDEX_OFFSET, i));
        }
    }

    @Test
    void findsEveryIdAndNothingElse() {
        for (int i = 0; i < IDS.length; i++) {
            assertEquals(i, find(IDS[i]), IDS[i].toString());
        }
        assertEquals(-1, find(UUID.fromString("00000000-0000-7000-8000-000000000000")), "before the first");
        assertEquals(-1, find(UUID.fromString("00000000-0000-7000-8000-000000000002")), "between two");
        assertEquals(-1, find(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")), "after the last");
        assertEquals(
                -1,
                SegmentIndex.find(
                        DATA, INDEX_OFFSET, 0, IDS[0].getMostSignificantBits(), IDS[0].getLeastSignificantBits()),
                "empty index");
    }

    @Test
    void lowerBoundInclusiveAndExclusive() {
        for (int i = 0; i < IDS.length; i++) {
            assertEquals(i, lowerBound(IDS[i], true), "inclusive at " + i);
            assertEquals(i + 1, lowerBound(IDS[i], false), "exclusive at " + i);
        }
        UUID between = UUID.fromString("00000000-0000-7000-8000-000000000002");
        assertEquals(1, lowerBound(between, true));
        assertEquals(1, lowerBound(between, false));
        assertEquals(0, lowerBound(new UUID(0, 0), true));
        assertEquals(IDS.length, lowerBound(new UUID(-1, -1), true), "past the end: count");
    }

    @Test
    void compareIsUnsignedAndMatchesTheTextOrder() {
        for (int i = 0; i < IDS.length; i++) {
            for (int j = 0; j < IDS.length; j++) {
                int cmp = SegmentIndex.compare(
                        IDS[i].getMostSignificantBits(),
                        IDS[i].getLeastSignificantBits(),
                        IDS[j].getMostSignificantBits(),
                        IDS[j].getLeastSignificantBits());
                assertEquals(
                        Integer.signum(IDS[i].toString().compareTo(IDS[j].toString())),
                        Integer.signum(cmp),
                        IDS[i] + " vs " + IDS[j]);
            }
        }
        assertTrue(SegmentIndex.compare(-1, 0, 1, 0) > 0, "a negative msb is a large unsigned one");
    }

    private static long find(UUID id) {
        return SegmentIndex.find(
                DATA, INDEX_OFFSET, IDS.length, id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    private static long lowerBound(UUID id, boolean inclusive) {
        return SegmentIndex.lowerBound(
                DATA, INDEX_OFFSET, IDS.length, id.getMostSignificantBits(), id.getLeastSignificantBits(), inclusive);
    }

    private static MemorySegment index(UUID[] ids) {
        ByteBuffer out = ByteBuffer.allocate((int) INDEX_OFFSET + ids.length * SegmentIndex.ENTRY_SIZE);
        out.position((int) INDEX_OFFSET);
        for (int i = 0; i < ids.length; i++) {
            SegmentIndex.writeEntry(out, ids[i].getMostSignificantBits(), ids[i].getLeastSignificantBits(), 1000L * i);
        }
        return MemorySegment.ofArray(out.array());
    }
}
