package io.stupiddb.segments.query;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTokenTest {

    @Property
    void roundTrips(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = 1023) Integer> nodes,
            @ForAll long msb,
            @ForAll long lsb) {
        TreeMap<Integer, UUID> positions = new TreeMap<>();
        for (int node : nodes) {
            positions.put(node, new UUID(msb + node, lsb - node));
        }
        PageToken cursor = new PageToken(positions);
        String text = cursor.encode();
        assertTrue(text.matches("[A-Za-z0-9_-]+"), "URL-safe: " + text);
        assertEquals(cursor, PageToken.decode(text));
    }

    @Test
    void singleNode() {
        UUID id = UUID.fromString("019ab698-328d-7000-8000-00000000006a");
        PageToken cursor = PageToken.decode(PageToken.of(0, id).encode());
        assertEquals(id, cursor.after(0));
        assertEquals(null, cursor.after(1));
    }

    @Test
    void garbageIsRejectedWithAClearMessage() {
        String good = PageToken.of(3, new UUID(1, 2)).encode();
        for (String bad : List.of(
                "",
                " ",
                "!!!",
                "AQ",
                good.substring(0, good.length() - 2),
                good + "AAAA",
                "AgABAAMAAAAAAAAAAQAAAAAAAAAC",
                "x".repeat(100_000))) {
            PageToken.InvalidCursorException e =
                    assertThrows(PageToken.InvalidCursorException.class, () -> PageToken.decode(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid cursor: "));
        }
        assertThrows(PageToken.InvalidCursorException.class, () -> PageToken.decode(null));
        assertEquals(Map.of(3, new UUID(1, 2)), PageToken.decode(good).positions());
    }
}
