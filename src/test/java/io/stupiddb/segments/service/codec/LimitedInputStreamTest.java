package io.stupiddb.segments.service.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LimitedInputStreamTest {

    @Test
    void exactlyTheLimitIsFine() throws IOException {
        var in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 10);
        assertArrayEquals(new byte[10], in.readAllBytes());
        assertEquals(10, in.count());
    }

    @Test
    void oneMoreByteThrowsWithoutReadingFurther() throws IOException {
        var source = new ByteArrayInputStream(new byte[1000]);
        var in = new LimitedInputStream(source, 10);
        assertThrows(RequestTooLargeException.class, in::readAllBytes);
        assertEquals(1000 - 11, source.available(), "asked for at most limit + 1 bytes");
    }

    @Test
    void singleByteReadsCountToo() throws IOException {
        var in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);
        in.read();
        in.read();
        assertThrows(RequestTooLargeException.class, in::read);
    }

    @Test
    void aHugeLimitDoesNotOverflow() throws IOException {
        var in = new LimitedInputStream(new ByteArrayInputStream(new byte[5]), Long.MAX_VALUE);
        assertEquals(5, in.readAllBytes().length);
    }
}
