package io.stupiddb.segments.service.codec;

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

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.IdentityHashMap;

/**
 * Reads a JSON body (one object, or a non-empty array of objects) or an NDJSON body (one object per
 * non-blank line) into {@link DecodeState}: Jackson's token stream is copied iteratively (no
 * recursion, so deep nesting costs no stack) into the state's {@link MsgpackBuilder}.
 *
 * <p>What only JSON needs is here: strict UTF-8 ahead of Jackson ({@link Utf8ValidatingInputStream},
 * since Jackson decodes overlong forms silently), refusing unpaired {@code \\uD800} escapes, integers
 * beyond int64/uint64 and numbers that overflow a double, and Jackson's errors turned into
 * {@link InvalidDocumentException}s with line and column. The rules shared with MessagePack (depth,
 * duplicate keys, event time, size) are the state's.
 *
 * <p>Not thread-safe: one per request. Does not close the body.
 */
final class JsonBodyReader {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Distinct key names whose UTF-8 is kept for the rest of the body (a bound for hostile bodies). */
    private static final int MAX_CACHED_KEYS = 4096;

    private final JsonFactory json;
    private final DecodeState state;
    private final MsgpackBuilder out;
    /**
     * Each key name's UTF-8, by the String the parser gives: Jackson canonicalizes names, so the
     * same name is the same String in every line and document of a body, and is encoded once.
     */
    private final IdentityHashMap<String, byte[]> keyUtf8 = new IdentityHashMap<>();
    /** The NDJSON lines' fast path (null: every line through Jackson). */
    private final JsonLineTranscoder fastLines;
    /** The NDJSON line being parsed (its bytes up to {@link #lineLength}); null for a JSON body. */
    private byte[] line;

    private int lineLength;

    /** @param json a factory from {@link #factory} */
    JsonBodyReader(JsonFactory json, DecodeState state) {
        this(json, state, true);
    }

    /**
     * @param lineFastPath whether NDJSON lines go through {@link JsonLineTranscoder} first (false:
     *     Jackson's path alone, which the tests hold the fast path to)
     */
    JsonBodyReader(JsonFactory json, DecodeState state, boolean lineFastPath) {
        this.json = json;
        this.state = state;
        this.out = state.out();
        this.fastLines = lineFastPath ? new JsonLineTranscoder(state) : null;
    }

    /**
     * The parser factory for documents of at most {@code maxDocumentSize} bytes (thread-safe, built
     * once per decoder): a string longer than that cannot fit, so Jackson refuses it while reading.
     */
    static JsonFactory factory(long maxDocumentSize) {
        int maxString = (int) Math.min(Integer.MAX_VALUE - 16, maxDocumentSize);
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // Ours is checked first (a batch array adds one level); Jackson's is a backstop.
                        .maxNestingDepth(DocumentDecoder.MAX_DEPTH + 2)
                        .maxStringLength(maxString)
                        .maxNameLength(maxString)
                        .build())
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                // Jackson's bundled FastDoubleParser: correctly rounded like Double.parseDouble (the
                // property tests compare every double), a fraction of its cost in a profile
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
    }

    /** Reads a JSON body: one object or a non-empty array of objects, and nothing after it. */
    void readJson(InputStream in) throws IOException {
        try {
            jsonBody(in);
        } catch (JsonProcessingException | CharConversionException e) { // from createParser's first read
            throw jsonError(e);
        }
    }

    private void jsonBody(InputStream in) throws IOException {
        try (JsonParser p = json.createParser(new Utf8ValidatingInputStream(in))) {
            JsonToken first = nextJson(p);
            if (first == null) {
                throw state.emptyBody();
            }
            if (first == JsonToken.START_OBJECT) {
                state.element(0);
                document(p);
            } else if (first == JsonToken.START_ARRAY) {
                for (int i = 0; ; i++) {
                    state.element(i);
                    JsonToken t = nextJson(p);
                    if (t == JsonToken.END_ARRAY) {
                        break;
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw state.fail(Kind.NOT_AN_OBJECT, "not a JSON object (got " + describe(t) + ")");
                    }
                    document(p);
                }
                if (state.documentCount() == 0) {
                    throw state.emptyArray();
                }
            } else {
                state.element(0);
                throw state.fail(
                        Kind.NOT_AN_OBJECT, "not a JSON object or an array of objects (got " + describe(first) + ")");
            }
            state.wholeBody();
            JsonToken after = nextJson(p);
            if (after != null) {
                throw state.body(Kind.MALFORMED, "unexpected data after the JSON value" + at(p.currentTokenLocation()));
            }
        }
    }

    /**
     * Reads an NDJSON body: one object per non-blank line, at least one. A line of plain JSON is
     * transcoded by {@link JsonLineTranscoder} straight from its bytes; one it declines (an unusual
     * number or escape, or anything invalid) is read with Jackson, which finishes it the same way or
     * says what is wrong.
     */
    void readNdjson(InputStream in) throws IOException {
        LineReader lines = new LineReader(in);
        int lineNo = 0;
        while (lines.next()) {
            lineNo++;
            if (lines.isBlank()) {
                continue;
            }
            state.line(state.documentCount(), lineNo);
            long bad = Utf8Validator.firstInvalid(lines.bytes(), 0, lines.length());
            if (bad >= 0) {
                throw state.fail(Kind.MALFORMED, "invalid UTF-8 at byte " + bad + " of the line");
            }
            if (fastLines != null && fastLines.document(lines.bytes(), lines.length())) {
                continue;
            }
            line = lines.bytes();
            lineLength = lines.length();
            try (JsonParser p = json.createParser(line, 0, lineLength)) {
                JsonToken t = nextJson(p);
                if (t != JsonToken.START_OBJECT) {
                    throw state.fail(Kind.NOT_AN_OBJECT, "not a JSON object (got " + describe(t) + ")");
                }
                document(p);
                if (nextJson(p) != null) {
                    throw state.fail(
                            Kind.MALFORMED, "more than one JSON value on the line" + at(p.currentTokenLocation()));
                }
            }
        }
        if (state.documentCount() == 0) {
            state.wholeBody();
            throw lineNo == 0
                    ? state.emptyBody()
                    : state.body(Kind.MALFORMED, "empty batch: no documents, only blank lines");
        }
    }

    /** Copies the object whose START_OBJECT is the current token into a finished document. */
    private void document(JsonParser p) throws IOException {
        try {
            copy(p);
        } catch (JsonProcessingException | CharConversionException e) {
            throw jsonError(e);
        }
    }

    private void copy(JsonParser p) throws IOException {
        state.startDocument();
        boolean timestampNext = false;
        JsonToken t = p.currentToken();
        while (true) {
            if (timestampNext && t != JsonToken.FIELD_NAME) {
                state.timestamp(timestamp(p, t));
                timestampNext = false;
            }
            switch (t) {
                case START_OBJECT -> state.startMap();
                case START_ARRAY -> state.startArray();
                case END_OBJECT, END_ARRAY -> out.end();
                case FIELD_NAME -> {
                    String name = p.currentName();
                    if (!state.isNewKey(name)) {
                        throw state.duplicateKey(name, at(p.currentTokenLocation()));
                    }
                    byte[] utf8 = keyUtf8(name);
                    out.key(utf8, 0, utf8.length);
                    timestampNext = state.isTimestampKey(name);
                }
                case VALUE_STRING -> {
                    if (line != null && rawString(p)) {
                        break;
                    }
                    // The parser's own character buffer, straight to UTF-8: no String, no byte[]. Jackson
                    // checks maxStringLength when it makes a String (or a buffer segment fills): check here.
                    if (p.getTextLength() > state.maxDocumentSize()) {
                        throw state.stringTooLarge();
                    }
                    if (!out.string(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
                        throw unpairedSurrogate(p.getText());
                    }
                }
                case VALUE_NUMBER_INT -> {
                    switch (p.getNumberType()) {
                        case INT, LONG -> out.integer(p.getLongValue());
                        default -> {
                            BigInteger big = p.getBigIntegerValue();
                            if (big.signum() < 0 || big.compareTo(UINT64_MAX) > 0) {
                                throw state.fail(
                                        Kind.UNSUPPORTED_VALUE,
                                        "integer "
                                                + DecodeState.quoteNumber(p.getText())
                                                + " is out of range (-2^63 to 2^64-1)" + at(p.currentTokenLocation()));
                            }
                            out.uint64(big.longValue());
                        }
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    double d = p.getDoubleValue();
                    if (!Double.isFinite(d)) {
                        throw state.fail(
                                Kind.UNSUPPORTED_VALUE,
                                "number " + DecodeState.quoteNumber(p.getText()) + " is out of range of a 64-bit float"
                                        + at(p.currentTokenLocation()));
                    }
                    out.float64(d);
                }
                case VALUE_TRUE -> out.bool(true);
                case VALUE_FALSE -> out.bool(false);
                case VALUE_NULL -> out.nil();
                default -> throw state.fail(Kind.MALFORMED, "unexpected " + t);
            }
            if (out.depth() == 0) {
                state.finishDocument();
                return;
            }
            t = nextJson(p);
            if (t == null) {
                throw state.fail(Kind.MALFORMED, "unexpected end of input");
            }
        }
    }

    /** {@code name} as UTF-8, encoded once per body. @throws InvalidDocumentException for an unpaired surrogate */
    private byte[] keyUtf8(String name) {
        byte[] utf8 = keyUtf8.get(name);
        if (utf8 == null) {
            char[] chars = name.toCharArray();
            int n = Utf8.length(chars, 0, chars.length);
            if (n < 0) {
                throw unpairedSurrogate(name);
            }
            utf8 = new byte[n];
            Utf8.encode(chars, 0, chars.length, utf8, 0);
            if (keyUtf8.size() < MAX_CACHED_KEYS) {
                keyUtf8.put(name, utf8);
            }
        }
        return utf8;
    }

    /**
     * Copies the current string token of an NDJSON line as the UTF-8 bytes it is in the line, when
     * it has no escape: the line was checked as strict UTF-8 before parsing, so those bytes are the
     * string, and Jackson never decodes it to characters (it decodes lazily, on request, and skips an
     * unread string with the same checks). False, copying nothing, for a string with an escape or a
     * control character (Jackson's path then decodes it, or reports it as it always did).
     */
    private boolean rawString(JsonParser p) {
        // where the token starts: its opening quote, as a byte offset (the parser reads bytes)
        long quote = p.currentTokenLocation().getByteOffset();
        if (quote < 0 || quote >= lineLength || line[(int) quote] != '"') {
            return false;
        }
        int start = (int) quote + 1;
        int end = JsonLineTranscoder.plainRunEnd(line, start, lineLength);
        if (end >= lineLength || line[end] != '"') {
            return false; // an escape or a control character, or no closing quote
        }
        if (end - start > state.maxDocumentSize()) {
            throw state.stringTooLarge();
        }
        out.string(line, start, end - start);
        return true;
    }

    /** The event time of the timestamp field's value, the current token (copied by the caller). */
    private long timestamp(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return state.rfc3339(p.getText());
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw state.epochOutOfRange(p.getText());
            }
            return p.getLongValue();
        }
        throw state.badTimestampType(describe(t));
    }

    /** The next token, with Jackson's errors turned into ours. */
    private JsonToken nextJson(JsonParser p) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonProcessingException | CharConversionException e) {
            throw jsonError(e);
        }
    }

    /** Jackson's parse errors (from nextToken, or getText which decodes strings lazily) as ours. */
    private InvalidDocumentException jsonError(IOException e) {
        if (e instanceof Utf8ValidatingInputStream.InvalidUtf8Exception u) {
            // Found when a chunk is read, ahead of the parser: the element is not known, the byte is.
            return state.body(Kind.MALFORMED, "invalid UTF-8 at byte " + u.position);
        }
        if (e instanceof StreamConstraintsException c) {
            String m = String.valueOf(c.getOriginalMessage());
            if (m.startsWith("Document nesting depth")) {
                return state.tooDeep();
            }
            if (m.startsWith("String value length") || m.startsWith("Name length")) {
                return state.stringTooLarge();
            }
            if (m.startsWith("Number value length")) {
                return state.fail(Kind.UNSUPPORTED_VALUE, "a number has too many digits" + at(c.getLocation()));
            }
        }
        if (e instanceof JsonEOFException) {
            return state.fail(Kind.MALFORMED, "unexpected end of input");
        }
        if (e instanceof JsonProcessingException j) {
            return state.fail(Kind.MALFORMED, clean(j.getOriginalMessage()) + at(j.getLocation()));
        }
        return state.fail(Kind.MALFORMED, "invalid text encoding: " + e.getMessage());
    }

    /** Location text: line and column for JSON bodies, column only inside one NDJSON line. */
    private String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return state.inLine()
                ? " (column " + loc.getColumnNr() + ")"
                : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** MALFORMED: {@code text} holds an unpaired surrogate (legal as a JSON escape, not as Unicode). */
    private InvalidDocumentException unpairedSurrogate(String text) {
        char bad = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                bad = c;
                break;
            }
        }
        return state.fail(
                Kind.MALFORMED,
                String.format(
                        "a string contains an unpaired surrogate \\u%04X, which is not valid Unicode", (int) bad));
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

    /** Jackson's message without its redacted source reference. */
    private static String clean(String message) {
        if (message == null) {
            return "invalid JSON";
        }
        return message.replaceAll("\\[Source: [^\\]]*?; line:", "[line:").strip();
    }
}
