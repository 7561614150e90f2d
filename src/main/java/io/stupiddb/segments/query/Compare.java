package io.stupiddb.segments.query;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Comparisons of document values with filter literals. Numbers compare exactly across their
 * representations (no rounding of a long to a double); strings compare by Unicode code point,
 * which for valid UTF-8 is the unsigned order of the encoded bytes, so nothing is decoded.
 *
 * <p>Stateless and thread-safe.
 */
final class Compare {

    /** Result for values that have no order between them: different kinds, or NaN. */
    static final int UNORDERED = ExactNumbers.UNORDERED;

    private Compare() {}

    /**
     * Compares a document value with a literal: -1, 0 or 1, or {@link #UNORDERED} when their kinds
     * do not compare (a number and a string, a boolean and a number, anything with OTHER).
     */
    static int compare(Scalar value, Literal literal) {
        ValueKind kind = value.kind;
        if (kind.isNumber() && literal.kind.isNumber()) {
            return numbers(kind, value.bits, value.dbl, literal.kind, literal.bits, literal.dbl);
        }
        if (kind != literal.kind) {
            return UNORDERED;
        }
        return switch (kind) {
            case NIL -> 0;
            case BOOL -> Boolean.compare(value.bool, literal.bool);
            case STRING -> Integer.signum(utf8(value.text, value.textOffset, value.textLength, literal.utf8));
            default -> UNORDERED;
        };
    }

    /** Exact numeric comparison of two numbers given as (kind, bits, double). */
    static int numbers(ValueKind ka, long la, double da, ValueKind kb, long lb, double db) {
        if (ka == ValueKind.DOUBLE) {
            if (kb == ValueKind.DOUBLE) {
                return Double.isNaN(da) || Double.isNaN(db) ? UNORDERED : da < db ? -1 : da > db ? 1 : 0;
            }
            int reversed = numbers(kb, lb, db, ka, la, da);
            return reversed == UNORDERED ? UNORDERED : -reversed;
        }
        if (kb == ValueKind.DOUBLE) {
            return ka == ValueKind.LONG ? ExactNumbers.longVsDouble(la, db) : ExactNumbers.u64VsDouble(la, db);
        }
        if (ka == kb) {
            return ka == ValueKind.LONG ? Long.compare(la, lb) : Long.compareUnsigned(la, lb);
        }
        // One LONG, one U64: every U64 is above every long.
        return ka == ValueKind.U64 ? 1 : -1;
    }

    /** Unsigned lexicographic comparison of {@code buffer[offset, offset+length)} with {@code b}. */
    static int utf8(ByteBuffer buffer, int offset, int length, byte[] b) {
        int common = Math.min(length, b.length);
        for (int i = 0; i < common; i++) {
            int x = buffer.get(offset + i) & 0xff;
            int y = b[i] & 0xff;
            if (x != y) {
                return x - y;
            }
        }
        return length - b.length;
    }

    static boolean utf8Equals(ByteBuffer buffer, int offset, int length, byte[] b) {
        return length == b.length && startsWith(buffer, offset, length, b);
    }

    static boolean startsWith(ByteBuffer buffer, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer.get(offset + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Unsigned lexicographic order of byte arrays: code point order for UTF-8. */
    static int utf8(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
