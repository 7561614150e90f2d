package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.store.DocumentToWrite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import io.stupiddb.segments.service.config.SegmentsConfig;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a {@code POST /documents} body into documents ready to store: each one re-encoded as a
 * single MessagePack map plus its event time (see {@link DocumentToWrite}). The body is streamed, never
 * buffered whole; the whole batch is decoded before this returns, and any invalid element throws
 * {@link InvalidDocumentException} (nothing partial is returned), an oversized body
 * {@link RequestTooLargeException}.
 *
 * <p>Bodies (SPEC §2): JSON is one object or a non-empty array of objects; NDJSON one object per
 * non-blank line; MessagePack one map or a non-empty array of maps. Rules (docs/API-BODIES.md):
 * <ul>
 * <li>nesting deeper than {@value #MAX_DEPTH} levels (the document's root object is level 1) is
 *     MALFORMED; parsing is iterative, so 10,000 levels cost no stack;</li>
 * <li>duplicate keys in one object are MALFORMED; keys must be strings; strings must be valid
 *     UTF-8 (JSON: also no unpaired {@code \\uD800} escapes);</li>
 * <li>integers must fit int64 or uint64; floats must be finite; MessagePack binary and extension
 *     values are refused (UNSUPPORTED_VALUE): JSON responses could not return them faithfully;</li>
 * <li>a document whose MessagePack encoding exceeds {@code segments.max-document-size} is TOO_LARGE;
 *     a MessagePack length header that claims more than is sent is MALFORMED, and nothing is
 *     allocated beyond the bytes that really arrive (at most the document limit);</li>
 * <li>the top-level field {@code segments.timestamp-field} gives the event time: an RFC 3339 string
 *     ({@link Timestamps#parseRfc3339}) or an integer of epoch milliseconds; absent → null; anything
 *     else (null, float, boolean, object, bad string) is BAD_TIMESTAMP. The field stays in the
 *     document.</li>
 * </ul>
 * Thread-safe: every call has its own state.
 */
public final class DocumentDecoder {

    /** Deepest nesting allowed in a document; the root object is level 1. */
    public static final int MAX_DEPTH = 64;

    private static final int CHUNK = 64 * 1024;
    private static final int QUOTE_MAX = 64;
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final MessagePack.UnpackerConfig UNPACKER = new MessagePack.UnpackerConfig();

    private final String timestampField;
    private final long maxDocumentSize;
    private final long maxRequestSize;
    private final JsonFactory json;

    /**
     * @param timestampField  top-level field holding the event time ({@code segments.timestamp-field})
     * @param maxDocumentSize largest MessagePack encoding of one document ({@code segments.max-document-size})
     * @param maxRequestSize  largest request body ({@code segments.max-request-size})
     */
    public DocumentDecoder(String timestampField, long maxDocumentSize, long maxRequestSize) {
        this.timestampField = Objects.requireNonNull(timestampField, "timestampField");
        if (maxDocumentSize <= 0 || maxRequestSize <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDocumentSize + ", " + maxRequestSize);
        }
        this.maxDocumentSize = maxDocumentSize;
        this.maxRequestSize = maxRequestSize;
        // A string of more characters than the document limit cannot fit: refuse it while reading.
        int maxString = (int) Math.min(Integer.MAX_VALUE - 16, maxDocumentSize);
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // Ours is checked first (a batch array adds one level); Jackson's is a backstop.
                        .maxNestingDepth(MAX_DEPTH + 2)
                        .maxStringLength(maxString)
                        .maxNameLength(maxString)
                        .build())
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .build();
    }

    /** A decoder with the limits and timestamp field of the configuration. */
    public static DocumentDecoder of(SegmentsConfig config) {
        return new DocumentDecoder(config.timestampField(), config.maxDocumentSize(), config.maxRequestSize());
    }

    /**
     * Decodes a whole request body. Does not close {@code body}.
     *
     * @return the documents in body order (unmodifiable, never empty)
     * @throws InvalidDocumentException  when the body or any element is invalid
     * @throws RequestTooLargeException  when the body exceeds {@code segments.max-request-size}
     * @throws IOException               when reading the body fails (client gone, …)
     */
    public List<DocumentToWrite> decode(InputStream body, BodyFormat format) throws IOException {
        Objects.requireNonNull(format, "format");
        LimitedInputStream in = new LimitedInputStream(Objects.requireNonNull(body, "body"), maxRequestSize);
        Run run = new Run();
        switch (format) {
            case JSON -> run.json(in);
            case NDJSON -> run.ndjson(in);
            case MSGPACK -> run.msgpack(in);
        }
        return Collections.unmodifiableList(run.docs);
    }

    /** The state of one {@link #decode} call. */
    private final class Run {
        final List<DocumentToWrite> docs = new ArrayList<>();
        final MsgpackBuilder out = new MsgpackBuilder(maxDocumentSize, MAX_DEPTH);
        @SuppressWarnings("unchecked")
        final Set<String>[] keys = new Set[MAX_DEPTH + 1];
        final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        /** Where the element being read is: its index and, for NDJSON, its line. */
        int index = -1;
        int line = -1;

        // ---------------------------------------------------------------- JSON

        void json(InputStream in) throws IOException {
            try {
                jsonBody(in);
            } catch (JsonProcessingException | CharConversionException e) { // from createParser's first read
                throw jsonError(e);
            }
        }

        void jsonBody(InputStream in) throws IOException {
            try (JsonParser p = json.createParser(new Utf8ValidatingInputStream(in))) {
                JsonToken first = nextJson(p);
                if (first == null) {
                    throw body(Kind.MALFORMED, "request body is empty");
                }
                if (first == JsonToken.START_OBJECT) {
                    index = 0;
                    docs.add(jsonDocument(p));
                } else if (first == JsonToken.START_ARRAY) {
                    for (int i = 0; ; i++) {
                        index = i;
                        JsonToken t = nextJson(p);
                        if (t == JsonToken.END_ARRAY) {
                            break;
                        }
                        if (t != JsonToken.START_OBJECT) {
                            throw fail(Kind.NOT_AN_OBJECT, "not a JSON object (got " + describe(t) + ")");
                        }
                        docs.add(jsonDocument(p));
                    }
                    if (docs.isEmpty()) {
                        throw body(Kind.MALFORMED, "empty batch: the array has no documents");
                    }
                } else {
                    index = 0;
                    throw fail(Kind.NOT_AN_OBJECT,
                            "not a JSON object or an array of objects (got " + describe(first) + ")");
                }
                index = -1;
                JsonToken after = nextJson(p);
                if (after != null) {
                    throw body(Kind.MALFORMED, "unexpected data after the JSON value" + at(p.currentTokenLocation()));
                }
            }
        }

        void ndjson(InputStream in) throws IOException {
            LineReader lines = new LineReader(in);
            int lineNo = 0;
            while (lines.next()) {
                lineNo++;
                if (lines.isBlank()) {
                    continue;
                }
                index = docs.size();
                line = lineNo;
                Utf8Validator utf8Check = new Utf8Validator();
                int bad = utf8Check.check(lines.bytes, 0, lines.len);
                if (bad >= 0 || !utf8Check.complete()) {
                    throw fail(Kind.MALFORMED, "invalid UTF-8 at byte " + (bad >= 0 ? bad : lines.len)
                            + " of the line");
                }
                try (JsonParser p = json.createParser(lines.bytes, 0, lines.len)) {
                    JsonToken t = nextJson(p);
                    if (t != JsonToken.START_OBJECT) {
                        throw fail(Kind.NOT_AN_OBJECT, "not a JSON object (got " + describe(t) + ")");
                    }
                    docs.add(jsonDocument(p));
                    if (nextJson(p) != null) {
                        throw fail(Kind.MALFORMED, "more than one JSON value on the line"
                                + at(p.currentTokenLocation()));
                    }
                }
            }
            if (docs.isEmpty()) {
                index = -1;
                line = -1;
                throw body(Kind.MALFORMED, lineNo == 0 ? "request body is empty"
                        : "empty batch: no documents, only blank lines");
            }
        }

        /** Copies the object whose START_OBJECT is the current token. */
        DocumentToWrite jsonDocument(JsonParser p) throws IOException {
            try {
                return copyJson(p);
            } catch (JsonProcessingException | CharConversionException e) {
                throw jsonError(e);
            }
        }

        DocumentToWrite copyJson(JsonParser p) throws IOException {
            out.reset();
            Long timestamp = null;
            boolean timestampNext = false;
            JsonToken t = p.currentToken();
            while (true) {
                if (timestampNext && t != JsonToken.FIELD_NAME) {
                    timestamp = jsonTimestamp(p, t);
                    timestampNext = false;
                }
                switch (t) {
                    case START_OBJECT -> {
                        enter();
                        out.startMap();
                        keySet().clear();
                    }
                    case START_ARRAY -> {
                        enter();
                        out.startArray();
                    }
                    case END_OBJECT, END_ARRAY -> out.end();
                    case FIELD_NAME -> {
                        String name = p.currentName();
                        if (!keySet().add(name)) {
                            throw fail(Kind.MALFORMED, "duplicate key " + quote(name) + at(p.currentTokenLocation()));
                        }
                        out.key(utf8(name));
                        timestampNext = out.depth() == 1 && name.equals(timestampField);
                    }
                    case VALUE_STRING -> {
                        byte[] bytes = utf8(p.getText());
                        out.string(bytes, 0, bytes.length);
                    }
                    case VALUE_NUMBER_INT -> {
                        switch (p.getNumberType()) {
                            case INT, LONG -> out.integer(p.getLongValue());
                            default -> {
                                BigInteger big = p.getBigIntegerValue();
                                if (big.signum() < 0 || big.compareTo(UINT64_MAX) > 0) {
                                    throw fail(Kind.UNSUPPORTED_VALUE, "integer " + quoteNumber(p.getText())
                                            + " is out of range (-2^63 to 2^64-1)" + at(p.currentTokenLocation()));
                                }
                                out.uint64(big.longValue());
                            }
                        }
                    }
                    case VALUE_NUMBER_FLOAT -> {
                        double d = p.getDoubleValue();
                        if (!Double.isFinite(d)) {
                            throw fail(Kind.UNSUPPORTED_VALUE, "number " + quoteNumber(p.getText())
                                    + " is out of range of a 64-bit float" + at(p.currentTokenLocation()));
                        }
                        out.float64(d);
                    }
                    case VALUE_TRUE -> out.bool(true);
                    case VALUE_FALSE -> out.bool(false);
                    case VALUE_NULL -> out.nil();
                    default -> throw fail(Kind.MALFORMED, "unexpected " + t);
                }
                if (out.depth() == 0) {
                    return finish(timestamp);
                }
                t = nextJson(p);
                if (t == null) {
                    throw fail(Kind.MALFORMED, "unexpected end of input");
                }
            }
        }

        Long jsonTimestamp(JsonParser p, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                return rfc3339(p.getText());
            }
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField) + ": epoch milliseconds "
                            + quoteNumber(p.getText()) + " are out of range");
                }
                return p.getLongValue();
            }
            throw badTimestampType(describe(t));
        }

        /** The next token, with Jackson's errors turned into ours. */
        JsonToken nextJson(JsonParser p) throws IOException {
            try {
                return p.nextToken();
            } catch (JsonProcessingException | CharConversionException e) {
                throw jsonError(e);
            }
        }

        /** Jackson's parse errors (from nextToken, or getText which decodes strings lazily) as ours. */
        InvalidDocumentException jsonError(IOException e) {
            if (e instanceof Utf8ValidatingInputStream.InvalidUtf8Exception u) {
                // Found when a chunk is read, ahead of the parser: the element is not known, the byte is.
                return body(Kind.MALFORMED, "invalid UTF-8 at byte " + u.position);
            }
            if (e instanceof StreamConstraintsException c) {
                String m = String.valueOf(c.getOriginalMessage());
                if (m.startsWith("Document nesting depth")) {
                    return tooDeep();
                }
                if (m.startsWith("String value length") || m.startsWith("Name length")) {
                    return fail(Kind.TOO_LARGE, "a string is longer than segments.max-document-size ("
                            + maxDocumentSize + " bytes)");
                }
                if (m.startsWith("Number value length")) {
                    return fail(Kind.UNSUPPORTED_VALUE, "a number has too many digits" + at(c.getLocation()));
                }
            }
            if (e instanceof JsonEOFException) {
                return fail(Kind.MALFORMED, "unexpected end of input");
            }
            if (e instanceof JsonProcessingException j) {
                return fail(Kind.MALFORMED, clean(j.getOriginalMessage()) + at(j.getLocation()));
            }
            return fail(Kind.MALFORMED, "invalid text encoding: " + e.getMessage());
        }

        /** Location text: line and column for JSON bodies, column only inside one NDJSON line. */
        String at(JsonLocation loc) {
            if (loc == null || loc.getLineNr() < 1) {
                return "";
            }
            return line > 0 ? " (column " + loc.getColumnNr() + ")"
                    : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }

        byte[] utf8(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        i++;
                    } else {
                        throw fail(Kind.MALFORMED, String.format(
                                "a string contains an unpaired surrogate \\u%04X, which is not valid Unicode", (int) c));
                    }
                }
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }

        // ---------------------------------------------------------------- MessagePack

        void msgpack(InputStream in) throws IOException {
            MessageUnpacker u = UNPACKER.newUnpacker(in); // not closed: that would close the caller's stream
            try {
                if (!u.hasNext()) {
                    throw body(Kind.MALFORMED, "request body is empty");
                }
                MessageFormat first = u.getNextFormat();
                if (first.getValueType() == org.msgpack.value.ValueType.MAP) {
                    index = 0;
                    docs.add(msgpackDocument(u));
                } else if (first.getValueType() == org.msgpack.value.ValueType.ARRAY) {
                    int n = u.unpackArrayHeader();
                    if (n == 0) {
                        throw body(Kind.MALFORMED, "empty batch: the array has no documents");
                    }
                    for (int i = 0; i < n; i++) {
                        index = i;
                        MessageFormat f = u.getNextFormat();
                        if (f == MessageFormat.NEVER_USED) {
                            throw fail(Kind.MALFORMED, "invalid MessagePack byte 0xc1");
                        }
                        if (f.getValueType() != org.msgpack.value.ValueType.MAP) {
                            throw fail(Kind.NOT_AN_OBJECT, "not a MessagePack map (got " + describe(f) + ")");
                        }
                        docs.add(msgpackDocument(u));
                    }
                } else {
                    index = 0;
                    throw fail(Kind.NOT_AN_OBJECT, "not a MessagePack map or an array of maps (got "
                            + describe(first) + ")");
                }
                index = -1;
                if (u.hasNext()) {
                    throw body(Kind.MALFORMED, "unexpected data after the MessagePack value (at byte "
                            + u.getTotalReadBytes() + ")");
                }
            } catch (MessageInsufficientBufferException e) {
                throw fail(Kind.MALFORMED, "unexpected end of input");
            } catch (MessageSizeException e) {
                throw fail(Kind.MALFORMED, "a length header claims 2 GiB or more"
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (MessagePackException e) {
                throw fail(Kind.MALFORMED, "invalid MessagePack: " + e.getMessage());
            }
        }

        /** Copies the map that comes next, iteratively (an explicit stack, no recursion). */
        DocumentToWrite msgpackDocument(MessageUnpacker u) throws IOException {
            out.reset();
            // remaining[d]: items left in the container at depth d (a map of n entries has 2n items).
            long[] remaining = new long[MAX_DEPTH + 1];
            boolean[] isMap = new boolean[MAX_DEPTH + 1];
            long entries = u.unpackMapHeader();
            enter();
            out.startMap();
            keySet().clear();
            remaining[1] = 2 * entries;
            isMap[1] = true;
            Long timestamp = null;
            boolean timestampNext = false;
            while (out.depth() > 0) {
                int d = out.depth();
                if (remaining[d] == 0) {
                    out.end();
                    continue;
                }
                boolean keyPosition = isMap[d] && remaining[d] % 2 == 0;
                remaining[d]--;
                MessageFormat f = u.getNextFormat();
                if (f == MessageFormat.NEVER_USED) {
                    throw fail(Kind.MALFORMED, "invalid MessagePack byte 0xc1 (at byte " + u.getTotalReadBytes() + ")");
                }
                if (keyPosition) {
                    timestampNext = msgpackKey(u, f) && d == 1;
                    continue;
                }
                if (timestampNext) {
                    timestampNext = false;
                    timestamp = msgpackTimestamp(u, f);
                    continue;
                }
                switch (f.getValueType()) {
                    case MAP -> {
                        long n = u.unpackMapHeader();
                        enter();
                        out.startMap();
                        keySet().clear();
                        remaining[out.depth()] = 2 * n;
                        isMap[out.depth()] = true;
                    }
                    case ARRAY -> {
                        long n = u.unpackArrayHeader();
                        enter();
                        out.startArray();
                        remaining[out.depth()] = n;
                        isMap[out.depth()] = false;
                    }
                    case NIL -> {
                        u.unpackNil();
                        out.nil();
                    }
                    case BOOLEAN -> out.bool(u.unpackBoolean());
                    case INTEGER -> {
                        if (f == MessageFormat.UINT64) {
                            out.uint64(u.unpackBigInteger().longValue());
                        } else {
                            out.integer(u.unpackLong());
                        }
                    }
                    case FLOAT -> {
                        if (f == MessageFormat.FLOAT32) {
                            float v = u.unpackFloat();
                            finite(v);
                            out.float32(v);
                        } else {
                            double v = u.unpackDouble();
                            finite(v);
                            out.float64(v);
                        }
                    }
                    case STRING -> {
                        int len = u.unpackRawStringHeader();
                        if (len > maxDocumentSize) {
                            skip(u, len);
                            out.oversizedString(len, false);
                        } else {
                            byte[] bytes = payload(u, len);
                            validUtf8(bytes);
                            out.string(bytes, 0, len);
                        }
                    }
                    case BINARY -> throw fail(Kind.UNSUPPORTED_VALUE, "binary values are not supported (JSON"
                            + " responses could not return them): send them as base64 strings");
                    case EXTENSION -> {
                        ExtensionTypeHeader h = u.unpackExtensionTypeHeader();
                        throw fail(Kind.UNSUPPORTED_VALUE, "MessagePack extension type " + h.getType()
                                + (h.getType() == -1 ? " (timestamp)" : "") + " is not supported: send"
                                + " strings, numbers, booleans, nil, arrays and maps"
                                + (h.getType() == -1 ? " (times as RFC 3339 strings or epoch milliseconds)" : ""));
                    }
                }
            }
            return finish(timestamp);
        }

        /** Reads a key; true when it is the timestamp field's name. */
        boolean msgpackKey(MessageUnpacker u, MessageFormat f) throws IOException {
            if (f.getValueType() != org.msgpack.value.ValueType.STRING) {
                throw fail(Kind.UNSUPPORTED_VALUE, "map keys must be strings (got " + describe(f) + ")");
            }
            int len = u.unpackRawStringHeader();
            if (len > maxDocumentSize) {
                skip(u, len);
                out.oversizedString(len, true);
                return false;
            }
            byte[] bytes = payload(u, len);
            String name = validUtf8(bytes);
            if (!keySet().add(name)) {
                throw fail(Kind.MALFORMED, "duplicate key " + quote(name));
            }
            out.key(bytes);
            return name.equals(timestampField);
        }

        /** The event time of the value that comes next, which it copies into the document too. */
        Long msgpackTimestamp(MessageUnpacker u, MessageFormat f) throws IOException {
            switch (f.getValueType()) {
                case STRING -> {
                    int len = u.unpackRawStringHeader();
                    if (len > 1024) {
                        throw fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField) + " is a string of "
                                + len + " bytes, not an RFC 3339 date-time");
                    }
                    byte[] bytes = payload(u, len);
                    long ms = rfc3339(validUtf8(bytes));
                    out.string(bytes, 0, len);
                    return ms;
                }
                case INTEGER -> {
                    long ms;
                    if (f == MessageFormat.UINT64) {
                        BigInteger big = u.unpackBigInteger();
                        if (big.bitLength() > 63) {
                            throw fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField)
                                    + ": epoch milliseconds " + big + " are out of range");
                        }
                        ms = big.longValue();
                    } else {
                        ms = u.unpackLong();
                    }
                    out.integer(ms);
                    return ms;
                }
                default -> throw badTimestampType(describe(f));
            }
        }

        /** Reads exactly len payload bytes, growing the array only as bytes really arrive. */
        byte[] payload(MessageUnpacker u, int len) throws IOException {
            byte[] bytes = new byte[Math.min(len, CHUNK)];
            int have = 0;
            while (have < len) {
                if (have == bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(len, 2L * bytes.length));
                }
                int n = Math.min(len - have, bytes.length - have);
                u.readPayload(bytes, have, n);
                have += n;
            }
            return bytes;
        }

        void skip(MessageUnpacker u, int len) throws IOException {
            byte[] scratch = new byte[CHUNK];
            for (int left = len; left > 0; ) {
                int n = Math.min(left, CHUNK);
                u.readPayload(scratch, 0, n);
                left -= n;
            }
        }

        String validUtf8(byte[] bytes) {
            try {
                return utf8.decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw fail(Kind.MALFORMED, "a string is not valid UTF-8");
            }
        }

        void finite(double v) {
            if (!Double.isFinite(v)) {
                throw fail(Kind.UNSUPPORTED_VALUE, "float " + v + " is not supported (JSON has no NaN or infinity)");
            }
        }

        // ---------------------------------------------------------------- shared

        void enter() {
            if (out.depth() >= MAX_DEPTH) {
                throw tooDeep();
            }
        }

        Set<String> keySet() {
            int d = out.depth();
            if (keys[d] == null) {
                keys[d] = new HashSet<>();
            }
            return keys[d];
        }

        DocumentToWrite finish(Long timestamp) {
            if (out.tooLarge()) {
                throw fail(Kind.TOO_LARGE, "document is " + out.size() + " bytes, larger than"
                        + " segments.max-document-size (" + maxDocumentSize + ")");
            }
            return timestamp == null ? DocumentToWrite.atIngestTime(out.toByteArray())
                    : DocumentToWrite.at(out.toByteArray(), timestamp);
        }

        long rfc3339(String text) {
            try {
                return Timestamps.parseRfc3339(text);
            } catch (DateTimeParseException e) {
                throw fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField) + ": " + quote(text)
                        + " is not an RFC 3339 date-time such as " + Timestamps.EXAMPLE
                        + " (" + e.getMessage().replaceFirst("^Text '.*' ", "") + ")");
            } catch (ArithmeticException e) {
                throw fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField) + ": " + quote(text)
                        + " is out of range");
            }
        }

        InvalidDocumentException badTimestampType(String got) {
            return fail(Kind.BAD_TIMESTAMP, "field " + quote(timestampField) + " must be an RFC 3339 date-time"
                    + " such as " + Timestamps.EXAMPLE + " or integer epoch milliseconds (got " + got + ")");
        }

        InvalidDocumentException tooDeep() {
            return fail(Kind.MALFORMED, "nested deeper than " + MAX_DEPTH + " levels");
        }

        InvalidDocumentException fail(Kind kind, String detail) {
            return new InvalidDocumentException(kind, index, line, detail);
        }

        InvalidDocumentException body(Kind kind, String detail) {
            return new InvalidDocumentException(kind, -1, -1, detail);
        }
    }

    // -------------------------------------------------------------------- helpers

    /** Reads a stream line by line ({@code \n}; a {@code \r} before it is JSON whitespace). */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] chunk = new byte[8192];
        private int pos;
        private int end;
        private boolean eof;
        byte[] bytes = new byte[256];
        int len;

        LineReader(InputStream in) {
            this.in = in;
        }

        /** Reads the next line into {@link #bytes}; false at the end (a last line without newline counts). */
        boolean next() throws IOException {
            len = 0;
            boolean any = false;
            while (true) {
                if (pos == end) {
                    if (eof) {
                        return any;
                    }
                    int n = in.read(chunk);
                    if (n < 0) {
                        eof = true;
                        return any;
                    }
                    pos = 0;
                    end = n;
                }
                any = true;
                int start = pos;
                while (pos < end && chunk[pos] != '\n') {
                    pos++;
                }
                append(start, pos - start);
                if (pos < end) {
                    pos++; // the newline
                    return true;
                }
            }
        }

        boolean isBlank() {
            for (int i = 0; i < len; i++) {
                byte b = bytes[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        private void append(int from, int n) {
            if (bytes.length - len < n) {
                bytes = Arrays.copyOf(bytes, Math.max(len + n, 2 * bytes.length));
            }
            System.arraycopy(chunk, from, bytes, len, n);
            len += n;
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static String describe(MessageFormat f) {
        return switch (f.getValueType()) {
            case NIL -> "nil";
            case BOOLEAN -> "a boolean";
            case INTEGER -> "an integer";
            case FLOAT -> "a float";
            case STRING -> "a string";
            case BINARY -> "binary";
            case ARRAY -> "an array";
            case MAP -> "a map";
            case EXTENSION -> "an extension value";
        };
    }

    private static String quote(String s) {
        String shown = s.length() > QUOTE_MAX ? s.substring(0, QUOTE_MAX) + "…" : s;
        return "'" + shown + "'";
    }

    private static String quoteNumber(String digits) {
        return digits.length() > QUOTE_MAX ? digits.substring(0, QUOTE_MAX) + "…" : digits;
    }

    /** Jackson's message without its redacted source reference. */
    private static String clean(String message) {
        if (message == null) {
            return "invalid JSON";
        }
        return message.replaceAll("\\[Source: [^\\]]*?; line:", "[line:").strip();
    }
}
