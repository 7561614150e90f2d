package io.stupiddb.segments.query;

import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;

/**
 * A constant from a filter ({@code "error"}, {@code 500}, {@code 1.5}, {@code true}, {@code null}).
 * Strings are kept UTF-8 encoded because documents are compared in their encoded form.
 *
 * <p>Immutable and thread-safe.
 */
final class Literal {

    static final Literal NIL = new Literal(ValueKind.NIL, false, 0, 0, null, null);
    static final Literal TRUE = new Literal(ValueKind.BOOL, true, 0, 0, null, null);
    static final Literal FALSE = new Literal(ValueKind.BOOL, false, 0, 0, null, null);

    final ValueKind kind;
    final boolean bool;
    /** LONG: the value; U64: the unsigned bits. */
    final long bits;

    final double dbl;
    /** STRING only. */
    final byte[] utf8;

    final String text;

    private Literal(ValueKind kind, boolean bool, long bits, double dbl, byte[] utf8, String text) {
        this.kind = kind;
        this.bool = bool;
        this.bits = bits;
        this.dbl = dbl;
        this.utf8 = utf8;
        this.text = text;
    }

    static Literal ofBool(boolean value) {
        return value ? TRUE : FALSE;
    }

    static Literal ofLong(long value) {
        return new Literal(ValueKind.LONG, false, value, 0, null, null);
    }

    /** @param bits an unsigned value in [2^63, 2^64) */
    static Literal ofU64(long bits) {
        if (bits >= 0) {
            throw new IllegalArgumentException("not above Long.MAX_VALUE: " + bits);
        }
        return new Literal(ValueKind.U64, false, bits, 0, null, null);
    }

    static Literal ofDouble(double value) {
        return new Literal(ValueKind.DOUBLE, false, 0, value, null, null);
    }

    static Literal ofString(String value) {
        return new Literal(ValueKind.STRING, false, 0, 0, value.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Renders the literal as JSON, for {@link Filter#toString()}. */
    @Override
    public String toString() {
        return switch (kind) {
            case NIL -> "null";
            case BOOL -> Boolean.toString(bool);
            case LONG -> Long.toString(bits);
            case U64 -> Long.toUnsignedString(bits);
            case DOUBLE -> Double.toString(dbl);
            case STRING -> new TextNode(text).toString();
            case OTHER -> "?";
        };
    }
}
