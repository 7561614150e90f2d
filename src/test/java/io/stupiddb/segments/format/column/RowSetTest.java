package io.stupiddb.segments.format.column;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link RowSet} against {@link BitSet} as the model, sizes around word boundaries. */
class RowSetTest {

    @Property(tries = 300)
    void behavesLikeABitSet(
            @ForAll @IntRange(min = 0, max = 200) int size,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 199) Integer> a,
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 199) Integer> b) {
        RowSet x = RowSet.empty(size);
        RowSet y = RowSet.empty(size);
        BitSet mx = new BitSet();
        BitSet my = new BitSet();
        a.stream().filter(r -> r < size).forEach(r -> {
            x.add(r);
            mx.set(r);
        });
        b.stream().filter(r -> r < size).forEach(r -> {
            y.add(r);
            my.set(r);
        });
        assertSame(mx, x);

        RowSet and = x.copy();
        and.and(y);
        BitSet mAnd = (BitSet) mx.clone();
        mAnd.and(my);
        assertSame(mAnd, and);

        RowSet or = x.copy();
        or.or(y);
        BitSet mOr = (BitSet) mx.clone();
        mOr.or(my);
        assertSame(mOr, or);

        RowSet andNot = x.copy();
        andNot.andNot(y);
        BitSet mAndNot = (BitSet) mx.clone();
        mAndNot.andNot(my);
        assertSame(mAndNot, andNot);

        RowSet flipped = x.copy();
        flipped.flip();
        BitSet mFlip = (BitSet) mx.clone();
        mFlip.flip(0, size);
        assertSame(mFlip, flipped);
        assertEquals(size, RowSet.full(size).cardinality());
        assertEquals(mx.intersects(my), x.intersects(y));
        assertEquals(size == 0 || mx.cardinality() == size, x.isFull());
    }

    private static void assertSame(BitSet model, RowSet set) {
        assertEquals(model.cardinality(), set.cardinality());
        assertEquals(model.isEmpty(), set.isEmpty());
        int expected = model.nextSetBit(0);
        for (int r = set.next(0); r >= 0; r = set.next(r + 1)) {
            assertEquals(expected, r);
            expected = model.nextSetBit(r + 1);
        }
        assertEquals(-1, expected);
    }
}
