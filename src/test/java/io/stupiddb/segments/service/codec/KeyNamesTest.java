package io.stupiddb.segments.service.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class KeyNamesTest {

    /** Every name read equals the String of its bytes, wherever the bytes lie, through growth and past the cap. */
    @Property(tries = 200)
    void aNameIsTheStringOfItsBytes(@ForAll @Size(max = 700) List<@StringLength(max = 12) String> keys) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x7f); // names never start at 0
        List<int[]> at = new ArrayList<>();
        for (String key : keys) {
            byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
            at.add(new int[] {body.size(), utf8.length});
            body.writeBytes(utf8);
        }
        byte[] bytes = body.toByteArray();
        KeyNames names = new KeyNames();
        for (int round = 0; round < 2; round++) { // the second time from the names kept
            for (int i = 0; i < keys.size(); i++) {
                String expected = new String(bytes, at.get(i)[0], at.get(i)[1], StandardCharsets.UTF_8);
                assertEquals(expected, names.name(bytes, at.get(i)[0], at.get(i)[1]));
            }
        }
        assertEquals(
                Math.min(
                        KeyNames.MAX_NAMES,
                        keys.stream()
                                .map(k -> new String(k.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                                .distinct()
                                .count()),
                names.size());
    }

    @Test
    void aRepeatedNameIsOneString() {
        byte[] body = "levelmessagelevel".getBytes(StandardCharsets.UTF_8);
        KeyNames names = new KeyNames();
        String first = names.name(body, 0, 5);
        assertEquals("message", names.name(body, 5, 7));
        assertSame(first, names.name(body, 12, 5), "the same bytes elsewhere in the body: the same String");
    }

    @Test
    void namesPastTheCapAreStillRight() {
        KeyNames names = new KeyNames();
        for (int i = 0; i < KeyNames.MAX_NAMES; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
            names.name(key, 0, key.length);
        }
        byte[] extra = "one more".getBytes(StandardCharsets.UTF_8);
        String a = names.name(extra, 0, extra.length);
        String b = names.name(extra, 0, extra.length);
        assertEquals("one more", a);
        assertEquals(a, b);
        assertNotSame(a, b, "not kept: the cap holds");
        assertEquals(KeyNames.MAX_NAMES, names.size());
    }
}
