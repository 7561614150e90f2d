package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.query.RangeOp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The int64 intervals that stand for range and equality tests on INT columns, against exact
 * arithmetic in BigDecimal: a long v is in the interval exactly when {@code v op literal}.
 */
class NumbersTest {

    @Property(tries = 3_000)
    void intervalsAreExact(@ForAll("longs") long v, @ForAll("literals") PlanLiteral literal, @ForAll RangeOp op) {
        int exact = new BigDecimal(v).compareTo(decimal(literal));
        LongSet range = LongSet.of(java.util.Collections.singletonList(Numbers.rangeOfLongs(op, literal)));
        assertEquals(op.accepts(exact), range.contains(v), v + " " + op + " " + literal);
        LongSet equal = LongSet.of(java.util.Collections.singletonList(Numbers.equalLong(literal)));
        assertEquals(exact == 0, equal.contains(v), v + " == " + literal);
        double d = v; // and the same value as a FLOAT row (rounded to a double first)
        assertEquals(
                Integer.signum(new BigDecimal(d).compareTo(decimal(literal))),
                Numbers.compare(d, literal),
                "double " + d + " vs " + literal);
    }

    private static BigDecimal decimal(PlanLiteral literal) {
        return switch (literal.kind()) {
            case LONG -> new BigDecimal(literal.bits());
            case U64 -> new BigDecimal(new BigInteger(Long.toUnsignedString(literal.bits())));
            case DOUBLE -> new BigDecimal(literal.dbl());
            default -> throw new IllegalArgumentException();
        };
    }

    @Provide
    Arbitrary<Long> longs() {
        return Arbitraries.oneOf(
                Arbitraries.longs(),
                Arbitraries.longs().between(-10, 10),
                Arbitraries.of(
                        Long.MIN_VALUE,
                        Long.MIN_VALUE + 1,
                        Long.MAX_VALUE,
                        Long.MAX_VALUE - 1,
                        9_007_199_254_740_993L,
                        -9_223_372_036_854_774_784L,
                        9_223_372_036_854_774_784L));
    }

    @Provide
    Arbitrary<PlanLiteral> literals() {
        return Arbitraries.oneOf(
                longs().map(PlanLiteral::ofLong),
                Arbitraries.of(
                                -0.0,
                                0.0,
                                0.5,
                                -0.5,
                                2.5,
                                -2.5,
                                0x1p63,
                                -0x1p63,
                                0x1p63 - 1024,
                                -0x1p63 + 2048,
                                1e300,
                                -1e300,
                                9.007199254740992E15)
                        .map(PlanLiteral::ofDouble),
                Arbitraries.doubles().between(-20, 20).map(PlanLiteral::ofDouble),
                Arbitraries.longs().between(Long.MIN_VALUE, -1).map(PlanLiteral::ofU64));
    }
}
