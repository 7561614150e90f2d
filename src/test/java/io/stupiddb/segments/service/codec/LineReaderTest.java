package io.stupiddb.segments.service.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {

    @Test
    void splitsOnNewlineAndKeepsTheCarriageReturnInTheLine() throws IOException {
        assertEquals(List.of("a\r", "", "b"), lines(stream("a\r\n\nb\n")));
    }

    @Test
    void aLastLineWithoutNewlineCountsAndATrailingNewlineAddsNoLine() throws IOException {
        assertEquals(List.of("a", "b"), lines(stream("a\nb")));
        assertEquals(List.of("a"), lines(stream("a\n")));
        assertEquals(List.of(""), lines(stream("\n")));
    }

    @Test
    void anEmptyBodyHasNoLine() throws IOException {
        LineReader reader = new LineReader(stream(""));
        assertFalse(reader.next());
        assertFalse(reader.next(), "stays at the end");
    }

    @Test
    void aLineLongerThanTheBuffersArrivingInTinyReadsIsWhole() throws IOException {
        String longLine = "x".repeat(20_000);
        String body = longLine + "\nshort\n" + longLine.replace('x', 'y');
        assertEquals(List.of(longLine, "short", longLine.replace('x', 'y')), lines(trickle(body, 3)));
    }

    @Test
    void blankMeansOnlySpacesTabsAndCarriageReturns() throws IOException {
        LineReader reader = new LineReader(stream(" \t\r\n\n \tx\n{}\n"));
        List<Boolean> blank = new ArrayList<>();
        while (reader.next()) {
            blank.add(reader.isBlank());
        }
        assertEquals(List.of(true, true, false, false), blank);
    }

    @Test
    void theBytesOfALineAreValidUpToItsLength() throws IOException {
        LineReader reader = new LineReader(stream("a long first line\nab\n"));
        assertTrue(reader.next());
        assertTrue(reader.next());
        assertEquals(2, reader.length());
        assertEquals("ab", new String(Arrays.copyOf(reader.bytes(), reader.length()), StandardCharsets.UTF_8));
    }

    private static List<String> lines(InputStream in) throws IOException {
        LineReader reader = new LineReader(in);
        List<String> lines = new ArrayList<>();
        while (reader.next()) {
            lines.add(new String(reader.bytes(), 0, reader.length(), StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A stream that returns at most {@code most} bytes per read, as a slow client does. */
    private static InputStream trickle(String text, int most) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, most));
            }
        };
    }
}
