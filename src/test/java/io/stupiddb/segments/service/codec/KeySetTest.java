package io.stupiddb.segments.service.codec;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySetTest {

    @Test
    void refusesEqualKeysOfOtherInstancesAndCollidingHashesAreKeptApart() {
        KeySet keys = new KeySet();
        assertTrue(keys.add("Aa"));
        assertTrue(keys.add("BB")); // same hashCode as "Aa"
        assertFalse(keys.add(new String("Aa".toCharArray())));
        assertFalse(keys.add("BB"));
        assertEquals(2, keys.size());
    }

    @Test
    void growsAndClearsAcrossManyMaps() {
        KeySet keys = new KeySet();
        for (int round = 0; round < 3; round++) {
            Set<String> reference = new HashSet<>();
            int n = round == 1 ? 70_000 : 5; // a big map between small ones: cleared, it serves them all
            for (int i = 0; i < 2 * n; i++) {
                String key = "k" + (i % n) + "-" + round;
                assertEquals(reference.add(key), keys.add(key), key);
            }
            assertEquals(n, keys.size());
            keys.clear();
            assertEquals(0, keys.size());
            assertTrue(keys.add("k0-" + round), "cleared");
            keys.clear();
        }
    }
}
