package io.stupiddb.segments.service.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Transcodes one NDJSON line straight from its bytes into MessagePack when the line is plain JSON,
 * without Jackson's token stream: the fast path of {@link JsonBodyReader#readNdjson}, which profiles
 * put at 40 % of a request thread's CPU in HTTP ingest (tokens, canonical names, an identity map
 * per key, a String per key for the duplicate check).
 *
 * <p>The contract that makes it safe: {@link #document} either finishes exactly the document that
 * the Jackson path would finish for the line (the same MessagePack bytes, the same event time), or
 * declines, having added nothing, and the caller reads the line with Jackson. It declines on
 * anything it does not fully handle, and so on everything Jackson's path refuses: it never reports
 * an error itself, so every message a client sees still comes from one place. What it handles is
 * what log lines are made of: objects, arrays, strings whose escapes are JSON's nine (surrogate
 * pairs joined), integers of at most 18 digits, decimals of at most 15 significant digits and an
 * exponent of at most 22 after scaling (exact in a double: one correctly rounded multiplication or
 * division of two exact doubles, as Clinger showed and fast_float and Go's strconv use), {@code
 * true}, {@code false}, {@code null}, and the event time as an escape-free RFC 3339 string or epoch
 * milliseconds. It declines a byte-order mark, a control character or an unpaired surrogate in a
 * string, an escape in a key or the event time, a longer number, a duplicate key, nesting deeper
 * than {@link DocumentDecoder#MAX_DEPTH}, a document over the size limit, anything but whitespace
 * after the object, and any other byte where JSON does not allow it.
 *
 * <p>The line was checked as strict UTF-8 before ({@link Utf8Validator}), so a string's bytes
 * between escapes are its UTF-8 as they stand. Not thread-safe: one per request, reused for its
 * lines.
 */
final class JsonLineTranscoder {
    /** 10^0 … 10^22: the powers of ten a double holds exactly. */
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private static final int MAX_INTEGER_DIGITS = 18;
    private static final int MAX_DECIMAL_DIGITS = 15;

    private final DecodeState state;
    private final MsgpackBuilder out;
    private final byte[] timestampKey;
    /** Whether each open container is a map, by depth (1 is the document's root). */
    private final boolean[] isMap = new boolean[DocumentDecoder.MAX_DEPTH + 1];
    /** The keys of each open map, by depth; created when first needed and reused. */
    private final LineKeySet[] keys = new LineKeySet[DocumentDecoder.MAX_DEPTH + 1];
    /** A string with escapes, decoded. */
    private byte[] scratch = new byte[256];

    private byte[] b;
    private int end;
    /** Where reading is: after the last token read. */
    private int pos;
    /** The number being read: its digits as one integer, and how many count from the first non-zero one. */
    private long mantissa;

    private int significant;

    JsonLineTranscoder(DecodeState state) {
        this.state = state;
        this.out = state.out();
        this.timestampKey = state.timestampField().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Transcodes {@code line[0, length)}, one NDJSON line known to be valid UTF-8.
     *
     * @return true when the line's document is finished in the state; false when this declines it,
     *     having added nothing (the Jackson path then reads the line, and reports what is wrong)
     */
    boolean document(byte[] line, int length) {
        b = line;
        end = length;
        pos = 0;
        try {
            return root();
        } finally {
            b = null; // the line buffer is the reader's
        }
    }

    private boolean root() {
        if (!skipWhitespace() || b[pos] != '{') {
            return false;
        }
        state.startDocument();
        pos++;
        open(true);
        boolean first = true; // no element yet in the innermost container
        boolean timestampNext = false;
        while (true) {
            if (!skipWhitespace()) {
                return false;
            }
            int depth = out.depth();
            byte c = b[pos];
            if (first && c == (isMap[depth] ? '}' : ']')) {
                pos++;
                out.end();
            } else {
                if (isMap[depth]) {
                    int key = pos + 1;
                    if (c != '"' || !plainString() || !keys(depth).add(b, key, pos - 1 - key)) {
                        return false; // a key with an escape, a duplicate: Jackson's path says which
                    }
                    out.key(b, key, pos - 1 - key);
                    timestampNext = depth == 1
                            && pos - 1 - key == timestampKey.length
                            && Arrays.equals(b, key, pos - 1, timestampKey, 0, timestampKey.length);
                    if (!skipWhitespace() || b[pos] != ':') {
                        return false;
                    }
                    pos++;
                    if (!skipWhitespace()) {
                        return false;
                    }
                    c = b[pos];
                }
                if (c == '{' || c == '[') {
                    if (timestampNext || depth == DocumentDecoder.MAX_DEPTH) {
                        return false;
                    }
                    pos++;
                    open(c == '{');
                    first = true;
                    continue;
                }
                if (!(timestampNext ? timestampValue() : value(c))) {
                    return false;
                }
                timestampNext = false;
            }
            // after a value, or a container closed: a comma, or the end of the container
            while (true) {
                if (out.depth() == 0) {
                    return finish();
                }
                if (!skipWhitespace()) {
                    return false;
                }
                byte after = b[pos++];
                if (after == ',') {
                    first = false;
                    break;
                }
                if (after != (isMap[out.depth()] ? '}' : ']')) {
                    return false;
                }
                out.end();
            }
        }
    }

    /** The root object is closed: only whitespace may follow, and the document must fit. */
    private boolean finish() {
        if (skipWhitespace() || out.tooLarge()) {
            return false;
        }
        state.finishDocument();
        return true;
    }

    private void open(boolean map) {
        if (map) {
            out.startMap();
            keys(out.depth()).clear();
        } else {
            out.startArray();
        }
        isMap[out.depth()] = map;
    }

    private LineKeySet keys(int depth) {
        LineKeySet set = keys[depth];
        if (set == null) {
            set = new LineKeySet();
            keys[depth] = set;
        }
        return set;
    }

    /** A scalar value starting with {@code c} at {@code pos}. */
    private boolean value(byte c) {
        return switch (c) {
            case '"' -> string();
            case 't' -> literal("true") && bool(true);
            case 'f' -> literal("false") && bool(false);
            case 'n' -> literal("null") && nil();
            default -> number(false); // declines anything that is not a number
        };
    }

    /** The event time's value: an escape-free RFC 3339 string or an integer of epoch milliseconds. */
    private boolean timestampValue() {
        byte c = b[pos];
        if (c == '"') {
            int start = pos + 1;
            if (!plainString()) {
                return false;
            }
            int n = pos - 1 - start;
            try {
                state.timestamp(state.rfc3339(new String(b, start, n, StandardCharsets.UTF_8)));
            } catch (InvalidDocumentException e) { // a bad event time: Jackson's path reports it
                return false;
            }
            out.string(b, start, n);
            return true;
        }
        return number(true); // declines anything that is not a number
    }

    private boolean bool(boolean v) {
        out.bool(v);
        return true;
    }

    private boolean nil() {
        out.nil();
        return true;
    }

    /**
     * {@code word} at {@code pos}; moves past it. What follows it (as what follows a number) is
     * checked by the caller, which wants a comma, a closing bracket or whitespace there.
     */
    private boolean literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /**
     * Moves past the string whose opening quote is at {@code pos} when it has no escape and no
     * control character, to after its closing quote; false otherwise.
     */
    private boolean plainString() {
        int close = plainRunEnd(pos + 1);
        if (close >= end || b[close] != '"') {
            return false;
        }
        pos = close + 1;
        return true;
    }

    /** A string value at {@code pos}: its bytes as they stand, or decoded where it has escapes. */
    private boolean string() {
        int start = pos + 1;
        int stop = plainRunEnd(start);
        if (stop < end && b[stop] == '"') {
            out.string(b, start, stop - start);
            pos = stop + 1;
            return true;
        }
        return escapedString(start, stop);
    }

    /**
     * Decodes the string from {@code start}, whose plain run ends at {@code stop} (an escape, a
     * control character or the end of the line), into {@link #scratch}.
     */
    private boolean escapedString(int start, int stop) {
        int n = 0;
        int i = start;
        int run = stop;
        while (true) {
            n = append(n, i, run - i);
            i = run;
            if (i >= end) {
                return false;
            }
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c != '\\' || i + 1 >= end) {
                return false; // a control character: Jackson's path refuses it
            }
            byte e = b[i + 1];
            i += 2;
            if (e == 'u') {
                int unit = hex4(i);
                if (unit < 0 || Character.isLowSurrogate((char) unit)) {
                    return false;
                }
                i += 4;
                int codePoint = unit;
                if (Character.isHighSurrogate((char) unit)) {
                    int low = end - i >= 6 && b[i] == '\\' && b[i + 1] == 'u' ? hex4(i + 2) : -1;
                    if (low < 0 || !Character.isLowSurrogate((char) low)) {
                        return false; // unpaired: not Unicode, and Jackson's path says so
                    }
                    i += 6;
                    codePoint = Character.toCodePoint((char) unit, (char) low);
                }
                n = appendCodePoint(n, codePoint);
            } else {
                int decoded = switch (e) {
                    case '"', '\\', '/' -> e;
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> -1; // not one of JSON's escapes: Jackson's path refuses it
                };
                if (decoded < 0) {
                    return false;
                }
                n = appendByte(n, decoded);
            }
            run = plainRunEnd(i);
        }
        out.string(scratch, 0, n);
        pos = i + 1;
        return true;
    }

    /** The four hex digits at {@code at} as a UTF-16 unit, or -1. */
    private int hex4(int at) {
        if (end - at < 4) {
            return -1;
        }
        int unit = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(b[at + k], 16);
            if (d < 0) {
                return -1;
            }
            unit = unit << 4 | d;
        }
        return unit;
    }

    /** {@link #plainRunEnd(byte[], int, int)} in this line. */
    private int plainRunEnd(int from) {
        return plainRunEnd(b, from, end);
    }

    /**
     * Where the plain run of a JSON string from {@code from} ends in {@code b[from, end)}: the first
     * {@code "}, {@code \\} or control character, or {@code end}. Eight bytes a step
     * ({@link ByteWords#jsonEscapes}). Also what {@link JsonBodyReader}'s raw strings are found with.
     */
    static int plainRunEnd(byte[] b, int from, int end) {
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            long flags = ByteWords.jsonEscapes(ByteWords.get(b, i));
            if (flags != 0) {
                return i + ByteWords.firstFlagged(flags);
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                return i;
            }
        }
        return end;
    }

    private int append(int n, int from, int count) {
        ensureScratch(n + count);
        System.arraycopy(b, from, scratch, n, count);
        return n + count;
    }

    private int appendByte(int n, int value) {
        ensureScratch(n + 1);
        scratch[n] = (byte) value;
        return n + 1;
    }

    /** {@code cp} as UTF-8, as {@link Utf8#encode} writes it. */
    private int appendCodePoint(int n, int cp) {
        ensureScratch(n + 4);
        return Utf8.put(cp, scratch, n);
    }

    private void ensureScratch(int n) {
        if (scratch.length < n) {
            scratch = Arrays.copyOf(scratch, Math.max(n, 2 * scratch.length));
        }
    }

    /**
     * A number at {@code pos} (JSON's grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}),
     * written as Jackson's path writes it: an integer when it has neither fraction nor exponent, a
     * float64 otherwise; {@code timestamp}: an integer only, which becomes the event time too.
     */
    private boolean number(boolean timestamp) {
        int i = pos;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        mantissa = 0;
        significant = 0;
        i = digits(i, intStart);
        if (i < 0) {
            return false;
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            return false; // no digit, or a leading zero: not JSON
        }
        boolean isFloat = false;
        int fractionDigits = 0;
        if (i < end && b[i] == '.') {
            isFloat = true;
            i++;
            int fractionStart = i;
            i = digits(i, intStart);
            if (i < 0) {
                return false;
            }
            fractionDigits = i - fractionStart;
            if (fractionDigits == 0) {
                return false;
            }
        }
        int exponent = 0;
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            isFloat = true;
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            int exponentStart = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                exponent = exponent * 10 + (b[i] - '0');
                i++;
                if (i - exponentStart > 3) {
                    return false;
                }
            }
            if (i == exponentStart) {
                return false;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (!isFloat) {
            long value = negative ? -mantissa : mantissa;
            if (timestamp) {
                state.timestamp(value);
            }
            out.integer(value);
        } else {
            int scale = exponent - fractionDigits;
            if (timestamp || significant > MAX_DECIMAL_DIGITS || scale < -22 || scale > 22) {
                return false; // a float event time is refused by Jackson's path; the rest need its parser
            }
            double value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
            out.float64(negative ? -value : value);
        }
        pos = i;
        return true;
    }

    /**
     * Reads the digits from {@code i} into {@link #mantissa} and {@link #significant}; where they
     * end, or -1 when more than {@value #MAX_INTEGER_DIGITS} characters from {@code countFrom} (a
     * long holds them all).
     */
    private int digits(int i, int countFrom) {
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            int d = b[i] - '0';
            if (significant > 0 || d != 0) {
                significant++;
            }
            mantissa = mantissa * 10 + d;
            i++;
            if (i - countFrom > MAX_INTEGER_DIGITS) {
                return -1;
            }
        }
        return i;
    }

    /** Moves past JSON whitespace; false at the end of the line. */
    private boolean skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return true;
            }
            pos++;
        }
        return false;
    }
}
