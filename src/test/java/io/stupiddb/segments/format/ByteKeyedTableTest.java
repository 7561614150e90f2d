package io.stupiddb.segments.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ByteKeyedTable}: keys found wherever their bytes lie, kept as copies, through growth. */
class ByteKeyedTableTest {

    @Test
    void aKeyIsFoundWhereverItsBytesLie() {
        ByteKeyedTable<Integer> table = new ByteKeyedTable<>(2);
        byte[] body = "xxlevelstatuslevel".getBytes(StandardCharsets.US_ASCII);
        table.put(body, 2, 5, 1);
        table.put(body, 7, 6, 2);
        assertEquals(1, table.get(body, 13, 5), "the same bytes elsewhere");
        assertEquals(2, table.get("status".getBytes(StandardCharsets.US_ASCII), 0, 6));
        assertNull(table.get(body, 2, 4), "a prefix is another key");
        assertNull(table.get(body, 0, 0));
        assertEquals(2, table.size());
    }

    @Test
    void keysAreCopiedNotHeld() {
        ByteKeyedTable<String> table = new ByteKeyedTable<>(8);
        byte[] buffer = "abc".getBytes(StandardCharsets.US_ASCII);
        table.put(buffer, 0, 3, "abc");
        buffer[0] = 'z'; // the caller reuses its buffer
        assertEquals("abc", table.get("abc".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertNull(table.get(buffer, 0, 3));
    }

    @Test
    void everyKeySurvivesGrowth() {
        ByteKeyedTable<Integer> table = new ByteKeyedTable<>(2);
        for (int i = 0; i < 5_000; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.US_ASCII);
            table.put(key, 0, key.length, i);
        }
        for (int i = 0; i < 5_000; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.US_ASCII);
            assertEquals(i, table.get(key, 0, key.length));
        }
        assertEquals(5_000, table.size());
    }

    @Test
    void theCapacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new ByteKeyedTable<>(12));
        assertThrows(IllegalArgumentException.class, () -> new ByteKeyedTable<>(1));
    }
}
