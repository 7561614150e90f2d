package io.stupiddb.segments.service.codec;

import io.stupiddb.segments.service.codec.InvalidDocumentException.Kind;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a MessagePack body (one map, or a non-empty array of maps) into {@link DecodeState}, value by
 * value with an explicit stack of item counts (no recursion, so deep nesting costs no stack).
 *
 * <p>A document already in <em>canonical</em> encoding is stored as it came: its bytes are copied
 * out of the body once, not re-encoded. Canonical means exactly what {@link MsgpackBuilder} writes:
 * every integer, string, array and map header in the smallest format that holds its value or length
 * (non-negative integers as positive fixint or uint 8-64, negative ones as negative fixint or int
 * 8-64), floats as sent (a float 32 stays a float 32). msgpack-core's packer and most MessagePack
 * libraries write this. Any other document (an int 32 holding 5, a str 16 holding 3 bytes, a map 16
 * of two entries) is re-encoded in a second pass over its bytes, so every stored document is
 * canonical either way: the same value is always stored as the same bytes.
 *
 * <p>The body is read whole first (within {@code segments.max-request-size}, which the stream
 * enforces; the buffer grows only as bytes arrive, never trusting a length header): the documents
 * are copied out of it. What only MessagePack needs is here: strings longer than a document are
 * skipped, not copied; strings are checked as strict UTF-8 where they lie; keys must be strings;
 * binary and extension values and non-finite floats are refused; and msgpack-core's errors become
 * {@link InvalidDocumentException}s. The rules shared with JSON (depth, duplicate keys, event time,
 * size) are the state's.
 *
 * <p>Not thread-safe: one per request. Does not close the body.
 */
final class MsgpackBodyReader {
    /** First size of the body buffer; it doubles as bytes arrive. */
    private static final int FIRST_READ = 8 * 1024;
    /** Longer than any RFC 3339 date-time: such a timestamp string is refused before it is read. */
    private static final int MAX_TIMESTAMP_STRING = 1024;

    private static final MessagePack.UnpackerConfig UNPACKER = new MessagePack.UnpackerConfig();

    private final DecodeState state;
    private final MsgpackBuilder out;
    private final long maxDocumentSize;
    // remaining[d]: items left in the container at depth d (a map of n entries has 2n items).
    private final long[] remaining = new long[DocumentDecoder.MAX_DEPTH + 1];
    private final boolean[] isMap = new boolean[DocumentDecoder.MAX_DEPTH + 1];
    private final KeyNames keyNames = new KeyNames();
    private byte[] body = new byte[0];
    /** Where the current unpacker's input starts in {@link #body}: its read count is relative to it. */
    private int base;
    /** Whether the document being read is canonical so far. */
    private boolean canonical;

    MsgpackBodyReader(DecodeState state) {
        this.state = state;
        this.out = state.out();
        this.maxDocumentSize = state.maxDocumentSize();
    }

    /** Reads a MessagePack body: one map or a non-empty array of maps, and nothing after it. */
    void read(InputStream in) throws IOException {
        int length = readBody(in);
        base = 0;
        MessageUnpacker u = UNPACKER.newUnpacker(body, 0, length);
        try {
            if (!u.hasNext()) {
                throw state.emptyBody();
            }
            MessageFormat first = u.getNextFormat();
            if (first.getValueType() == ValueType.MAP) {
                state.element(0);
                document(u);
            } else if (first.getValueType() == ValueType.ARRAY) {
                int n = u.unpackArrayHeader();
                if (n == 0) {
                    throw state.emptyArray();
                }
                for (int i = 0; i < n; i++) {
                    state.element(i);
                    MessageFormat f = u.getNextFormat();
                    if (f == MessageFormat.NEVER_USED) {
                        throw state.fail(Kind.MALFORMED, "invalid MessagePack byte 0xc1");
                    }
                    if (f.getValueType() != ValueType.MAP) {
                        throw state.fail(Kind.NOT_AN_OBJECT, "not a MessagePack map (got " + describe(f) + ")");
                    }
                    document(u);
                }
            } else {
                state.element(0);
                throw state.fail(
                        Kind.NOT_AN_OBJECT, "not a MessagePack map or an array of maps (got " + describe(first) + ")");
            }
            state.wholeBody();
            if (u.hasNext()) {
                throw state.body(
                        Kind.MALFORMED,
                        "unexpected data after the MessagePack value (at byte " + u.getTotalReadBytes() + ")");
            }
        } catch (MessageInsufficientBufferException e) {
            throw state.fail(Kind.MALFORMED, "unexpected end of input");
        } catch (MessageSizeException e) {
            throw state.fail(
                    Kind.MALFORMED,
                    "a length header claims 2 GiB or more" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (MessagePackException e) {
            throw state.fail(Kind.MALFORMED, "invalid MessagePack: " + e.getMessage());
        }
    }

    /**
     * Reads the map that comes next into a finished document: the body's own bytes of it when they
     * are canonical, else the builder's re-encoding of them.
     */
    private void document(MessageUnpacker u) throws IOException {
        int start = position(u);
        state.startDocument(false); // first pass: validate and count, keep nothing
        walk(u);
        int end = position(u);
        if (canonical) {
            state.finishDocument(Arrays.copyOfRange(body, start, end));
            return;
        }
        state.checkSize();
        int outer = base;
        base = start;
        state.startDocument(true); // valid, but not canonical: re-encode (the checks pass again)
        walk(UNPACKER.newUnpacker(body, start, end - start));
        base = outer;
        state.finishDocument();
    }

    /** Reads one map into the state's builder, noting whether its encoding is canonical. */
    private void walk(MessageUnpacker u) throws IOException {
        canonical = true;
        openMap(u.getNextFormat(), u.unpackMapHeader());
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
                throw state.fail(
                        Kind.MALFORMED, "invalid MessagePack byte 0xc1 (at byte " + u.getTotalReadBytes() + ")");
            }
            if (keyPosition) {
                timestampNext = key(u, f);
                continue;
            }
            if (timestampNext) {
                timestampNext = false;
                state.timestamp(timestamp(u, f));
                continue;
            }
            switch (f.getValueType()) {
                case MAP -> openMap(f, u.unpackMapHeader());
                case ARRAY -> {
                    long n = u.unpackArrayHeader();
                    minimal(
                            f,
                            n < 16
                                    ? MessageFormat.FIXARRAY
                                    : n <= 0xffff ? MessageFormat.ARRAY16 : MessageFormat.ARRAY32);
                    state.startArray();
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
                        long bits = u.unpackBigInteger().longValue();
                        minimal(f, bits < 0 ? MessageFormat.UINT64 : integerFormat(bits));
                        out.uint64(bits);
                    } else {
                        long v = u.unpackLong();
                        minimal(f, integerFormat(v));
                        out.integer(v);
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
                    int len = stringHeader(u, f);
                    if (len > maxDocumentSize) {
                        out.oversizedString(len, false);
                    } else {
                        out.string(body, validUtf8(u, len), len);
                    }
                    payload(u, len);
                }
                case BINARY ->
                    throw state.fail(
                            Kind.UNSUPPORTED_VALUE,
                            "binary values are not supported (JSON"
                                    + " responses could not return them): send them as base64 strings");
                case EXTENSION -> {
                    ExtensionTypeHeader h = u.unpackExtensionTypeHeader();
                    throw state.fail(
                            Kind.UNSUPPORTED_VALUE,
                            "MessagePack extension type " + h.getType()
                                    + (h.getType() == -1 ? " (timestamp)" : "") + " is not supported: send"
                                    + " strings, numbers, booleans, nil, arrays and maps"
                                    + (h.getType() == -1 ? " (times as RFC 3339 strings or epoch milliseconds)" : ""));
                }
            }
        }
    }

    /** Opens a map whose header, in format {@code f}, said {@code entries}: 2 × entries items follow, key first. */
    private void openMap(MessageFormat f, long entries) {
        minimal(f, entries < 16 ? MessageFormat.FIXMAP : entries <= 0xffff ? MessageFormat.MAP16 : MessageFormat.MAP32);
        state.startMap();
        remaining[out.depth()] = 2 * entries;
        isMap[out.depth()] = true;
    }

    /** Reads a key; true when it is the timestamp field's name at the top level. */
    private boolean key(MessageUnpacker u, MessageFormat f) throws IOException {
        if (f.getValueType() != ValueType.STRING) {
            throw state.fail(Kind.UNSUPPORTED_VALUE, "map keys must be strings (got " + describe(f) + ")");
        }
        int len = stringHeader(u, f);
        if (len > maxDocumentSize) {
            payload(u, len);
            out.oversizedString(len, true);
            return false;
        }
        int off = validUtf8(u, len);
        payload(u, len);
        String name = keyNames.name(body, off, len);
        if (!state.isNewKey(name)) {
            throw state.duplicateKey(name, "");
        }
        out.key(body, off, len);
        return state.isTimestampKey(name);
    }

    /** The event time of the value that comes next, which it copies into the document too. */
    private long timestamp(MessageUnpacker u, MessageFormat f) throws IOException {
        switch (f.getValueType()) {
            case STRING -> {
                int len = stringHeader(u, f);
                if (len > MAX_TIMESTAMP_STRING) {
                    throw state.badTimestamp(" is a string of " + len + " bytes, not an RFC 3339 date-time");
                }
                int off = validUtf8(u, len);
                payload(u, len);
                long ms = state.rfc3339(new String(body, off, len, StandardCharsets.UTF_8));
                out.string(body, off, len);
                return ms;
            }
            case INTEGER -> {
                long ms;
                if (f == MessageFormat.UINT64) {
                    BigInteger big = u.unpackBigInteger();
                    if (big.bitLength() > 63) {
                        throw state.epochOutOfRange(big.toString());
                    }
                    ms = big.longValue();
                } else {
                    ms = u.unpackLong();
                }
                minimal(f, integerFormat(ms));
                out.integer(ms);
                return ms;
            }
            default -> throw state.badTimestampType(describe(f));
        }
    }

    /**
     * Reads the whole body into {@link #body}, growing it only as bytes really arrive (the body's
     * size limit is enforced by the stream); returns its length.
     */
    private int readBody(InputStream in) throws IOException {
        byte[] bytes = new byte[FIRST_READ];
        int have = 0;
        while (true) {
            if (have == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(2L * bytes.length, Integer.MAX_VALUE - 8));
            }
            int n = in.read(bytes, have, bytes.length - have);
            if (n < 0) {
                body = bytes;
                return have;
            }
            have += n;
        }
    }

    /** Where the unpacker is in {@link #body}. */
    private int position(MessageUnpacker u) {
        return base + (int) u.getTotalReadBytes();
    }

    /** A string header (of a value, key or timestamp) in format {@code f}: its payload length. */
    private int stringHeader(MessageUnpacker u, MessageFormat f) throws IOException {
        int len = u.unpackRawStringHeader();
        minimal(
                f,
                len < 32
                        ? MessageFormat.FIXSTR
                        : len <= 0xff ? MessageFormat.STR8 : len <= 0xffff ? MessageFormat.STR16 : MessageFormat.STR32);
        return len;
    }

    /** Moves past a string payload of len bytes, which the body must hold (a length header may lie). */
    private void payload(MessageUnpacker u, int len) throws IOException {
        if (len > body.length - position(u)) {
            throw new MessageInsufficientBufferException();
        }
        u.readPayloadAsReference(len); // a view of the body array: nothing copied
    }

    /**
     * Checks the string payload that comes next, {@code len} bytes, as strict UTF-8 where it lies in
     * the body, without moving past it; returns its offset in {@link #body}.
     */
    private int validUtf8(MessageUnpacker u, int len) {
        int off = position(u);
        if (len > body.length - off) {
            throw new MessageInsufficientBufferException();
        }
        if (Utf8Validator.firstInvalid(body, off, len) >= 0) {
            throw state.fail(Kind.MALFORMED, "a string is not valid UTF-8");
        }
        return off;
    }

    /** Notes a header sent in format {@code sent} where {@code smallest} would do: not canonical. */
    private void minimal(MessageFormat sent, MessageFormat smallest) {
        if (sent != smallest) {
            canonical = false;
        }
    }

    /** The format {@link MsgpackBuilder#integer} writes {@code v} in. */
    private static MessageFormat integerFormat(long v) {
        if (v >= 0) {
            return v < 128
                    ? MessageFormat.POSFIXINT
                    : v <= 0xff
                            ? MessageFormat.UINT8
                            : v <= 0xffff
                                    ? MessageFormat.UINT16
                                    : v <= 0xffffffffL ? MessageFormat.UINT32 : MessageFormat.UINT64;
        }
        return v >= -32
                ? MessageFormat.NEGFIXINT
                : v >= Byte.MIN_VALUE
                        ? MessageFormat.INT8
                        : v >= Short.MIN_VALUE
                                ? MessageFormat.INT16
                                : v >= Integer.MIN_VALUE ? MessageFormat.INT32 : MessageFormat.INT64;
    }

    private void finite(double v) {
        if (!Double.isFinite(v)) {
            throw state.fail(Kind.UNSUPPORTED_VALUE, "float " + v + " is not supported (JSON has no NaN or infinity)");
        }
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
}
