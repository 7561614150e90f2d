package io.stupiddb.segments.api;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One reading of limit, flags and seqs for every route: absent means default, anything else exact. */
class ParametersTest {

    @Test
    void limitIsOneToTenThousandOrNotGiven() {
        assertEquals(OptionalInt.empty(), Parameters.limit(null));
        assertEquals(OptionalInt.empty(), Parameters.limit(" "));
        assertEquals(OptionalInt.of(1), Parameters.limit("1"));
        assertEquals(OptionalInt.of(10_000), Parameters.limit(" 10000 "));
        for (String bad : new String[] {"0", "-5", "10001", "99999999999999999999", "ten", "1.5"}) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> Parameters.limit(bad));
            assertTrue(e.getMessage().contains("limit"), e.getMessage());
        }
    }

    @Test
    void flagsAreTrueOrFalseAndNothingElse() {
        assertFalse(Parameters.flag(null, "partial"));
        assertFalse(Parameters.flag("", "partial"));
        assertTrue(Parameters.flag("true", "partial"));
        assertTrue(Parameters.flag(" TRUE ", "partial"));
        assertFalse(Parameters.flag("False", "partial"));
        for (String bad : new String[] {"yes", "1", "on", "tru"}) {
            InvalidParameterException e =
                    assertThrows(InvalidParameterException.class, () -> Parameters.flag(bad, "partial"));
            assertTrue(e.getMessage().startsWith("partial must be true or false"), e.getMessage());
        }
    }

    @Test
    void seqsAreNonNegativeIntegers() {
        assertEquals(0, Parameters.seq(null, "after"));
        assertEquals(42, Parameters.seq("42", "after"));
        assertThrows(InvalidParameterException.class, () -> Parameters.seq("-1", "after"));
        assertThrows(InvalidParameterException.class, () -> Parameters.seq("x", "after"));
    }
}
