package io.stupiddb.segments.service.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Utf8ValidatingInputStreamTest {

    @Test
    void validBytesPassThroughUnchanged() throws IOException {
        byte[] text = "héllo 日本語 😀".getBytes(StandardCharsets.UTF_8);
        var in = new Utf8ValidatingInputStream(new ByteArrayInputStream(text));
        assertArrayEquals(text, in.readAllBytes());
    }

    @Test
    void anOverlongFormThrowsWithItsBodyOffset() {
        byte[] body = HexFormat.of().parseHex("41424344c0af45");
        var in = new Utf8ValidatingInputStream(new ByteArrayInputStream(body));
        var e = assertThrows(Utf8ValidatingInputStream.InvalidUtf8Exception.class, in::readAllBytes);
        assertEquals(4, e.position);
        assertEquals("invalid UTF-8 at byte 4", e.getMessage());
    }

    @Test
    void aSequenceCutShortByTheEndOfTheBodyThrows() {
        byte[] body = HexFormat.of().parseHex("41e282");
        var in = new Utf8ValidatingInputStream(new ByteArrayInputStream(body));
        var e = assertThrows(Utf8ValidatingInputStream.InvalidUtf8Exception.class, in::readAllBytes);
        assertEquals(3, e.position);
    }

    @Test
    void singleByteReadsAreCheckedToo() throws IOException {
        var in = new Utf8ValidatingInputStream(
                new ByteArrayInputStream(HexFormat.of().parseHex("41ff")));
        assertEquals(0x41, in.read());
        assertThrows(Utf8ValidatingInputStream.InvalidUtf8Exception.class, in::read);
    }
}
