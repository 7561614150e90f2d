package io.stupiddb.segments.service.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

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

    /**
     * Against splitting the whole body at once: random bodies of newlines, carriage returns,
     * ASCII and multi-byte UTF-8 (whose bytes are all above 0x7F, never a newline), read in random
     * chunk sizes, so newlines fall at every position of a word and of a read.
     */
    @Test
    void randomBodiesInRandomReadsSplitAsTheWholeBodyDoes() throws IOException {
        SplittableRandom random = new SplittableRandom(14);
        String[] pieces = {"\n", "\r", "a", "{\"k\":1}", "é", "日本", "\n\n", " ", "x".repeat(9), "\uD83D\uDE00"};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder body = new StringBuilder();
            int parts = random.nextInt(0, 60);
            for (int i = 0; i < parts; i++) {
                body.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = body.toString();
            List<String> expected = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            if (expected.getLast().isEmpty()) {
                expected.removeLast(); // a trailing newline adds no line; an empty body has none
            }
            assertEquals(expected, lines(trickle(text, random.nextInt(1, 40))), "body " + round + ": " + text);
        }
    }

    @Test
    void theNewlineSearchFindsTheFirstAtEveryPositionOfAWord() {
        for (int length = 0; length <= 40; length++) {
            for (int at = -1; at < length; at++) {
                byte[] b = new byte[length + 3];
                Arrays.fill(b, (byte) 0x8A); // 0x0A with the high bit: never a newline
                if (at >= 0) {
                    b[at] = '\n';
                    if (at + 2 < length) {
                        b[at + 2] = '\n'; // a later one must not win
                    }
                }
                b[length] = '\n'; // past the end: must not be seen
                assertEquals(at, LineReader.indexOfNewline(b, 0, length), "length " + length + ", newline at " + at);
                if (length > 0) {
                    assertEquals(
                            at >= 1 ? at : (at == 0 && 2 < length ? 2 : -1),
                            LineReader.indexOfNewline(b, 1, length),
                            "from 1, length " + length + ", newline at " + at);
                }
            }
        }
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
