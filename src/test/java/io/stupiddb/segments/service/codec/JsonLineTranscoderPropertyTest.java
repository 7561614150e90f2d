package io.stupiddb.segments.service.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NDJSON fast path against Jackson's path on random lines: lines of the kind it is for (nested
 * objects and arrays, strings with every JSON escape and raw UTF-8 of one to four bytes, integers
 * of up to 18 digits, decimals of up to 15 significant digits in every notation, literals, an event
 * time as a string or an integer, whitespace anywhere) are all taken and end as the same documents;
 * the same lines with one byte deleted, doubled or replaced (a structural character, a digit, a
 * letter, a quote or a backslash) decode, through the fast path and then Jackson, exactly as
 * through Jackson alone: the same documents or the same error.
 */
class JsonLineTranscoderPropertyTest {
    private static final String[] KEYS = {"a", "level", "http", "status", "é", "😀", "x_y", "", "k\u007f", "timestamp"};
    private static final String[] MUTATIONS = {
        "{", "}", "[", "]", "\"", ":", ",", "\\", "0", "7", "-", ".", "e", "x", "t", "n", " ", "\u00e9"
    };

    @Property(tries = 1000)
    void linesOfPlainJsonAreTakenAndEndAsWithJacksonAlone(@ForAll long seed) throws IOException {
        String line = new Lines(new Random(seed)).document();
        assertTrue(JsonLineTranscoderTest.take(line), line);
        assertEquals(
                JsonLineTranscoderTest.outcome(line + "\n", false),
                JsonLineTranscoderTest.outcome(line + "\n", true),
                line);
    }

    @Property(tries = 3000)
    void everyOneByteMutationDecodesAsWithJacksonAlone(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        String line = new Lines(random).document();
        int at = random.nextInt(line.length() + 1);
        String mutated = switch (random.nextInt(3)) {
            case 0 -> at < line.length() ? line.substring(0, at) + line.substring(at + 1) : line.substring(0, at);
            case 1 -> line.substring(0, at) + MUTATIONS[random.nextInt(MUTATIONS.length)] + line.substring(at);
            default ->
                line.substring(0, at)
                        + MUTATIONS[random.nextInt(MUTATIONS.length)]
                        + line.substring(Math.min(line.length(), at + 1));
        };
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(mutated)) {
            return; // cut between the halves of a pair: not a string that has a UTF-8 form
        }
        String body = mutated + "\n";
        assertEquals(JsonLineTranscoderTest.outcome(body, false), JsonLineTranscoderTest.outcome(body, true), mutated);
    }

    /** Random lines of the kind the fast path takes. */
    private static final class Lines {
        private final Random random;
        private final StringBuilder s = new StringBuilder();

        Lines(Random random) {
            this.random = random;
        }

        String document() {
            whitespace();
            object(1);
            whitespace();
            return s.toString();
        }

        private void object(int depth) {
            s.append('{');
            int n = depth > 4 ? random.nextInt(2) : random.nextInt(6);
            List<String> used = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = KEYS[random.nextInt(KEYS.length)] + (random.nextInt(3) == 0 ? "" : random.nextInt(5));
                if (used.contains(key) || (key.equals("timestamp") && depth > 1)) {
                    continue;
                }
                if (!used.isEmpty()) {
                    s.append(',');
                }
                used.add(key);
                whitespace();
                s.append('"').append(key).append('"');
                whitespace();
                s.append(':');
                whitespace();
                if (key.equals("timestamp")) {
                    timestamp();
                } else {
                    value(depth);
                }
                whitespace();
            }
            s.append('}');
        }

        private void array(int depth) {
            s.append('[');
            int n = depth > 4 ? random.nextInt(2) : random.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    s.append(',');
                }
                whitespace();
                value(depth);
                whitespace();
            }
            s.append(']');
        }

        private void value(int depth) {
            switch (random.nextInt(depth > 4 ? 7 : 9)) {
                case 0, 1 -> string();
                case 2 -> integer();
                case 3 -> decimal();
                case 4 -> s.append("true");
                case 5 -> s.append("false");
                case 6 -> s.append("null");
                case 7 -> object(depth + 1);
                default -> array(depth + 1);
            }
        }

        private void timestamp() {
            if (random.nextBoolean()) {
                s.append(String.format(
                        "\"2026-%02d-%02dT%02d:%02d:%02d.%03dZ\"",
                        1 + random.nextInt(12),
                        1 + random.nextInt(28),
                        random.nextInt(24),
                        random.nextInt(60),
                        random.nextInt(60),
                        random.nextInt(1000)));
            } else {
                s.append(random.nextLong(-1_000_000_000_000L, 4_000_000_000_000L));
            }
        }

        private void string() {
            s.append('"');
            int n = random.nextInt(random.nextInt(10) == 0 ? 80 : 12);
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(12)) {
                    case 0 ->
                        s.append(new String[] {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"}
                                [random.nextInt(8)]);
                    case 1 -> {
                        int unit;
                        do {
                            unit = random.nextInt(0x10000);
                        } while (Character.isSurrogate((char) unit));
                        s.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", unit));
                    }
                    case 2 -> {
                        int cp = 0x10000 + random.nextInt(0x100000);
                        s.append(String.format(
                                "\\u%04X\\u%04x", (int) Character.highSurrogate(cp), (int) Character.lowSurrogate(cp)));
                    }
                    case 3 -> s.append(new String[] {"é", "€", "😀", "\u07ff", "\uffff"}[random.nextInt(5)]);
                    default -> s.append(plain());
                }
            }
            s.append('"');
        }

        private char plain() {
            char c = (char) (0x20 + random.nextInt(0x5f));
            return c == '"' || c == '\\' ? 'q' : c;
        }

        private void integer() {
            int digits = 1 + random.nextInt(18);
            if (random.nextBoolean()) {
                s.append('-');
            }
            s.append(1 + random.nextInt(9));
            for (int i = 1; i < digits; i++) {
                s.append(random.nextInt(10));
            }
            if (random.nextInt(8) == 0) {
                s.setLength(s.length() - digits);
                s.append('0');
            }
        }

        /** At most 15 significant digits, and a scale (exponent minus fraction digits) within ±22. */
        private void decimal() {
            if (random.nextBoolean()) {
                s.append('-');
            }
            int intDigits = 1 + random.nextInt(6);
            int fractionDigits = random.nextInt(8);
            boolean zeroInt = random.nextInt(3) == 0;
            if (zeroInt) {
                s.append('0');
                intDigits = 0;
            } else {
                s.append(1 + random.nextInt(9));
                for (int i = 1; i < intDigits; i++) {
                    s.append(random.nextInt(10));
                }
            }
            if (fractionDigits > 0 || random.nextBoolean()) {
                fractionDigits = Math.max(1, fractionDigits);
                s.append('.');
                for (int i = 0; i < fractionDigits; i++) {
                    s.append(random.nextInt(10));
                }
            } else {
                fractionDigits = 0;
            }
            if (fractionDigits == 0 || random.nextBoolean()) {
                int exponent = random.nextInt(-22 + fractionDigits, 23 + fractionDigits - intDigits);
                s.append(random.nextBoolean() ? 'e' : 'E');
                if (exponent >= 0 && random.nextBoolean()) {
                    s.append('+');
                }
                s.append(exponent);
            }
        }

        private void whitespace() {
            if (random.nextInt(4) == 0) {
                s.append(new String[] {" ", "\t", "  ", "\r", " \t "}[random.nextInt(5)]);
            }
        }
    }
}
