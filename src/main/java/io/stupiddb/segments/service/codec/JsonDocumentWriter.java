package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * Renders stored documents as JSON, {@code {"id","timestamp","segment","source":{…}}}, into a byte
 * buffer it owns, walking each source's MessagePack bytes once and writing JSON bytes directly: no
 * generator, no String per key, strings copied as the UTF-8 they are stored in with only the bytes
 * JSON must escape rewritten. GETs render one document and send the buffer as one body with its
 * length; NDJSON scans render many and hand the buffer to the response in large chunks.
 *
 * <p>The output is byte for byte what {@link DocumentEncoder#writeDocument} gives through Jackson's
 * UTF-8 generator (the path it replaces on the hot routes; TranscoderPropertyTest compares them):
 * the same escapes ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, {@code \\u00XX} for the other
 * control characters, nothing else), numbers as Jackson writes them (doubles through
 * {@link Double#toString}, non-finite ones quoted, float 32 widened to double, uint 64 above
 * {@code Long.MAX_VALUE} as the unsigned decimal).
 *
 * <p>A document is appended whole or not at all: a source that is not exactly one MessagePack value
 * of the kinds {@link DocumentDecoder} stores is an {@link IOException} and the buffer is left as it
 * was before that document. Not thread-safe; one instance per response.
 */
public final class JsonDocumentWriter {
    /** For each ASCII byte: 0 when copied as is, else the escape letter ({@code u}: {@code \\u00XX}). */
    private static final byte[] ESCAPES = new byte[128];

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = ",\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEGMENT = ",\"segment\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOURCE = ",\"source\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    /** Eight bytes no JSON string escapes ({@code AAAAAAAA}): what masks the bytes after a string. */
    private static final long PLAIN = 0x4141414141414141L;

    private byte[] out;
    private int size;

    /** The source being walked. */
    private final SourceReader in = new SourceReader();

    /** The containers open in the walk: items left at each depth, and whether it is a map. */
    private long[] left = new long[16];

    private boolean[] map = new boolean[16];

    /** An empty buffer of {@code capacity} bytes to start with (it grows as needed). */
    public JsonDocumentWriter(int capacity) {
        this.out = new byte[Math.max(64, capacity)];
    }

    /**
     * A source that is not on the heap, copied here to be walked (raw records of a mapped segment);
     * kept for the next one.
     */
    private byte[] scratch = new byte[0];

    /** The segment id last written and its JSON string: a scan writes the same one many times. */
    private String segment;

    private byte[] segmentJson;

    /** Appends {@code doc} as one JSON object (no separator). */
    public JsonDocumentWriter document(StoredDocument doc) throws IOException {
        return document(doc.id(), doc.timestamp(), doc.segmentId(), doc.source(), 0, doc.source().length);
    }

    /**
     * Appends the cursor's current document as one JSON object (no separator), its source read where
     * the cursor holds it: no copy of the document, no String for its id or timestamp.
     */
    public JsonDocumentWriter document(DocumentCursor cursor) throws IOException {
        ByteBuffer source = cursor.source();
        int length = source.remaining();
        if (source.hasArray()) {
            return document(
                    cursor.id(),
                    cursor.timestamp(),
                    cursor.segmentId(),
                    source.array(),
                    source.arrayOffset() + source.position(),
                    length);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        source.get(source.position(), scratch, 0, length);
        return document(cursor.id(), cursor.timestamp(), cursor.segmentId(), scratch, 0, length);
    }

    /** Appends {@code {"id","timestamp","segment","source"}} as one JSON object (no separator). */
    public JsonDocumentWriter document(String id, long timestamp, String segment, byte[] source) throws IOException {
        Objects.requireNonNull(id, "id"); // before anything is appended
        int start = size;
        raw(ID);
        string(id);
        return afterId(start, timestamp, segment, source, 0, source.length);
    }

    private JsonDocumentWriter document(UUID id, long timestamp, String segment, byte[] source, int from, int length)
            throws IOException {
        int start = size;
        raw(ID);
        uuid(id);
        return afterId(start, timestamp, segment, source, from, length);
    }

    /** The rest of a document whose id was appended from {@code start}; whole or nothing. */
    private JsonDocumentWriter afterId(int start, long timestamp, String segment, byte[] source, int from, int length)
            throws IOException {
        try {
            envelopeAfterId(timestamp, segment);
            source(source, from, length);
            put('}');
        } catch (IOException | RuntimeException e) {
            size = start; // whole or nothing
            throw e;
        }
        return this;
    }

    private void envelopeAfterId(long timestamp, String segment) {
        raw(TIMESTAMP);
        ensure(Timestamps.ASCII_WIDTH + 2);
        if (Timestamps.formatAscii(timestamp, out, size + 1)) {
            out[size] = '"';
            out[size + 1 + Timestamps.ASCII_WIDTH] = '"';
            size += Timestamps.ASCII_WIDTH + 2;
        } else {
            string(Timestamps.format(timestamp));
        }
        raw(SEGMENT);
        if (!segment.equals(this.segment)) {
            int mark = size;
            string(segment);
            this.segment = segment;
            this.segmentJson = Arrays.copyOfRange(out, mark, size);
        } else {
            raw(segmentJson);
        }
        raw(SOURCE);
    }

    /** A UUID as {@link UUID#toString()} writes it, quoted: 36 lower-case hex digits and dashes. */
    private void uuid(UUID id) {
        ensure(DocumentIds.TEXT_LENGTH + 2);
        out[size] = '"';
        size = DocumentIds.formatAscii(id, out, size + 1);
        out[size++] = '"';
    }

    /** Appends one byte, e.g. the {@code \n} after an NDJSON line. */
    public JsonDocumentWriter put(int b) {
        ensure(1);
        out[size++] = (byte) b;
        return this;
    }

    /** Bytes appended since the last {@link #reset()}. */
    public int size() {
        return size;
    }

    /** Writes what was appended to {@code target} (and keeps it; see {@link #reset()}). */
    public void writeTo(OutputStream target) throws IOException {
        target.write(out, 0, size);
    }

    /**
     * The buffer itself, not a copy: what was appended is its first {@link #size()} bytes. Valid
     * until the next append or {@link #reset()}; for handing a finished answer to the response.
     */
    public byte[] buffer() {
        return out;
    }

    /**
     * A capacity that holds a document whose stored source has {@code sourceLength} bytes without
     * growing, in most cases: JSON of log-like MessagePack is about an eighth longer (quotes, colons,
     * commas, digits), plus the envelope (id, timestamp, segment). It grows when that is not enough.
     */
    public static int capacityFor(int sourceLength) {
        return sourceLength + sourceLength / 4 + 192;
    }

    /** What was appended, copied. */
    public byte[] toByteArray() {
        return Arrays.copyOf(out, size);
    }

    /** Forgets what was appended; the buffer is kept for the next documents. */
    public void reset() {
        size = 0;
    }

    private void source(byte[] source, int from, int length) throws IOException {
        if (length == 0) {
            throw new IOException("empty document source");
        }
        in.start(source, from, length);
        int depth = 0;
        left[0] = 1;
        map[0] = false;
        boolean first = true; // the next item is the first of its container
        while (true) {
            if (left[depth] == 0) {
                if (depth == 0) {
                    break;
                }
                put(map[depth] ? '}' : ']');
                depth--;
                first = false;
                continue;
            }
            boolean key = map[depth] && (left[depth] & 1) == 0;
            boolean value = map[depth] && !key;
            left[depth]--;
            if (!first && !value) {
                put(',');
            }
            first = false;
            int f = in.u8();
            if (key) {
                int len = in.stringLength(f);
                if (len < 0) {
                    throw in.bad("a map key is not a string (format 0x" + Integer.toHexString(f) + ")");
                }
                in.need(len);
                utf8String(in.bytes, in.pos, len);
                in.pos += len;
                put(':');
                continue;
            }
            long n = in.containerLength(f);
            if (n >= 0) {
                boolean isMap = SourceReader.isMap(f);
                put(isMap ? '{' : '[');
                if (++depth == left.length) {
                    left = Arrays.copyOf(left, 2 * depth);
                    map = Arrays.copyOf(map, 2 * depth);
                }
                left[depth] = isMap ? 2 * n : n;
                map[depth] = isMap;
                first = true;
                continue;
            }
            scalar(f);
        }
        in.requireEnd();
    }

    private void scalar(int f) throws IOException {
        if (f <= 0x7f) {
            number(f);
            return;
        }
        if (f >= 0xe0) {
            number((byte) f);
            return;
        }
        int len = in.stringLength(f);
        if (len >= 0) {
            in.need(len);
            utf8String(in.bytes, in.pos, len);
            in.pos += len;
            return;
        }
        switch (f) {
            case 0xc0 -> raw(NULL);
            case 0xc2 -> raw(FALSE);
            case 0xc3 -> raw(TRUE);
            // as a double, as msgpack-jackson's parser read it: 0.1f is written 0.10000000149011612
            case 0xca -> number((double) Float.intBitsToFloat((int) in.be(4)));
            case 0xcb -> number(Double.longBitsToDouble(in.be(8)));
            case 0xcc -> number(in.be(1));
            case 0xcd -> number(in.be(2));
            case 0xce -> number(in.be(4));
            case 0xcf -> {
                long v = in.be(8);
                if (v >= 0) {
                    number(v);
                } else { // above Long.MAX_VALUE
                    ascii(Long.toUnsignedString(v));
                }
            }
            case 0xd0 -> number((byte) in.be(1));
            case 0xd1 -> number((short) in.be(2));
            case 0xd2 -> number((int) in.be(4));
            case 0xd3 -> number(in.be(8));
            default -> throw in.bad("unsupported format 0x" + Integer.toHexString(f));
        }
    }

    /** A JSON string of {@code b[from, from + len)} (UTF-8 as stored), escaped where JSON must. */
    private void utf8String(byte[] b, int from, int len) {
        // room for the text unescaped, the quotes and one eight-byte step; an escape makes more
        ensure(len + 10);
        byte[] o = out;
        int s = size;
        o[s++] = '"';
        int end = from + len;
        int i = from;
        while (i < end) {
            // eight bytes at a time: the word is copied whole, then the output advances to the first
            // byte that needs an escape (or past the word), so text with an escape every few bytes
            // still moves a word per step. The last bytes of a string are read as a whole word too
            // when the array goes on (the bytes after the string are masked out of the test, copied
            // and then written over: the room reserved holds a whole word); byte by byte only in
            // the last seven bytes of the array.
            int rest = end - i;
            long word;
            long flags;
            int step;
            if (rest >= 8) {
                word = ByteWords.get(b, i);
                flags = ByteWords.jsonEscapes(word);
                step = 8;
            } else if (b.length - i >= 8) {
                word = ByteWords.get(b, i);
                long mask = -1L >>> (8 * (8 - rest)); // the low rest bytes, the string's
                flags = ByteWords.jsonEscapes((word & mask) | (PLAIN & ~mask));
                step = rest;
            } else {
                byte c = b[i];
                if (c < 0 || ESCAPES[c] == 0) { // negative: a byte of a multi-byte UTF-8 sequence
                    o[s++] = c;
                    i++;
                    continue;
                }
                word = c;
                flags = 0x80;
                step = 1;
            }
            if (flags == 0) {
                ByteWords.set(o, s, word);
                s += step;
                i += step;
                continue;
            }
            int plain = ByteWords.firstFlagged(flags);
            if (plain > 0) {
                ByteWords.set(o, s, word);
                s += plain;
                i += plain;
            }
            byte e = ESCAPES[b[i]]; // a flagged byte: below 0x20, '"' or '\\'
            if (o.length - s < 6 + (end - i) + 10) { // the escape, the rest unescaped, quote and a word
                size = s;
                ensure(6 + (end - i) + 10);
                o = out;
            }
            o[s++] = '\\';
            o[s++] = e;
            if (e == 'u') {
                byte c = b[i];
                o[s++] = '0';
                o[s++] = '0';
                o[s++] = HEX[c >> 4];
                o[s++] = HEX[c & 0xf];
            }
            i++;
        }
        o[s++] = '"';
        size = s;
    }

    /** A JSON string of {@code s} (the envelope's fields), escaped as source strings are. */
    private void string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        utf8String(utf8, 0, utf8.length);
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        ensure(20);
        if (v < 0) {
            out[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = size + digits;
        for (int i = end - 1; i >= size; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size = end;
    }

    private void number(double v) {
        if (Double.isFinite(v)) {
            ascii(Double.toString(v));
        } else { // Jackson quotes NaN and the infinities (QUOTE_NON_NUMERIC_NUMBERS, on by default)
            string(Double.toString(v));
        }
    }

    private void ascii(String s) {
        ensure(s.length());
        s.getBytes(0, s.length(), out, size); // ASCII only: digits, signs, '.', 'E'
        size += s.length();
    }

    private void raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, size, bytes.length);
        size += bytes.length;
    }

    private void ensure(int more) {
        if (out.length - size < more) {
            out = Arrays.copyOf(out, Math.max(2 * out.length, size + more));
        }
    }
}
