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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a MessagePack body (one map, or a non-empty array of maps) into {@link DecodeState}, value by
 * value with an explicit stack of item counts (no recursion, so deep nesting costs no stack). The
 * input is re-encoded, not copied, so every stored document is in minimal encoding.
 *
 * <p>What only MessagePack needs is here: a length header is never trusted for allocation (payloads
 * grow only as bytes arrive, strings longer than a document are skipped, not kept), strings are
 * checked as strict UTF-8, keys must be strings, binary and extension values and non-finite floats
 * are refused, and msgpack-core's errors become {@link InvalidDocumentException}s. The rules shared
 * with JSON (depth, duplicate keys, event time, size) are the state's.
 *
 * <p>Not thread-safe: one per request. Does not close the body.
 */
final class MsgpackBodyReader {
    private static final int CHUNK = 64 * 1024;
    /** Longer than any RFC 3339 date-time: such a timestamp string is refused before it is read. */
    private static final int MAX_TIMESTAMP_STRING = 1024;

    private static final MessagePack.UnpackerConfig UNPACKER = new MessagePack.UnpackerConfig();

    private final DecodeState state;
    private final MsgpackBuilder out;
    private final long maxDocumentSize;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // remaining[d]: items left in the container at depth d (a map of n entries has 2n items).
    private final long[] remaining = new long[DocumentDecoder.MAX_DEPTH + 1];
    private final boolean[] isMap = new boolean[DocumentDecoder.MAX_DEPTH + 1];

    MsgpackBodyReader(DecodeState state) {
        this.state = state;
        this.out = state.out();
        this.maxDocumentSize = state.maxDocumentSize();
    }

    /** Reads a MessagePack body: one map or a non-empty array of maps, and nothing after it. */
    void read(InputStream in) throws IOException {
        MessageUnpacker u = UNPACKER.newUnpacker(in); // not closed: that would close the caller's stream
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

    /** Copies the map that comes next into a finished document. */
    private void document(MessageUnpacker u) throws IOException {
        state.startDocument();
        long entries = u.unpackMapHeader();
        openMap(entries);
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
                case MAP -> openMap(u.unpackMapHeader());
                case ARRAY -> {
                    long n = u.unpackArrayHeader();
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
        state.finishDocument();
    }

    /** Opens a map whose header said {@code entries}: 2 × entries items follow, key first. */
    private void openMap(long entries) {
        state.startMap();
        remaining[out.depth()] = 2 * entries;
        isMap[out.depth()] = true;
    }

    /** Reads a key; true when it is the timestamp field's name at the top level. */
    private boolean key(MessageUnpacker u, MessageFormat f) throws IOException {
        if (f.getValueType() != ValueType.STRING) {
            throw state.fail(Kind.UNSUPPORTED_VALUE, "map keys must be strings (got " + describe(f) + ")");
        }
        int len = u.unpackRawStringHeader();
        if (len > maxDocumentSize) {
            skip(u, len);
            out.oversizedString(len, true);
            return false;
        }
        byte[] bytes = payload(u, len);
        String name = validUtf8(bytes);
        if (!state.isNewKey(name)) {
            throw state.duplicateKey(name, "");
        }
        return state.key(name, bytes);
    }

    /** The event time of the value that comes next, which it copies into the document too. */
    private long timestamp(MessageUnpacker u, MessageFormat f) throws IOException {
        switch (f.getValueType()) {
            case STRING -> {
                int len = u.unpackRawStringHeader();
                if (len > MAX_TIMESTAMP_STRING) {
                    throw state.badTimestamp(" is a string of " + len + " bytes, not an RFC 3339 date-time");
                }
                byte[] bytes = payload(u, len);
                long ms = state.rfc3339(validUtf8(bytes));
                out.string(bytes, 0, len);
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
                out.integer(ms);
                return ms;
            }
            default -> throw state.badTimestampType(describe(f));
        }
    }

    /** Reads exactly len payload bytes, growing the array only as bytes really arrive. */
    private static byte[] payload(MessageUnpacker u, int len) throws IOException {
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

    private static void skip(MessageUnpacker u, int len) throws IOException {
        byte[] scratch = new byte[CHUNK];
        for (int left = len; left > 0; ) {
            int n = Math.min(left, CHUNK);
            u.readPayload(scratch, 0, n);
            left -= n;
        }
    }

    private String validUtf8(byte[] bytes) {
        try {
            return utf8.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw state.fail(Kind.MALFORMED, "a string is not valid UTF-8");
        }
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
