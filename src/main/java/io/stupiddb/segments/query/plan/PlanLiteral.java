package io.stupiddb.segments.query.plan;

import io.stupiddb.segments.format.column.XxHash64;

import java.nio.charset.StandardCharsets;

/**
 * A filter constant as the planner needs it: its kind, its value, and for strings the UTF-8 bytes
 * and their XXH64 (to probe blooms). Mirrors the query package's (package-private) Literal,
 * built from the same JSON rules: an integer that fits a long is LONG, one in (2^63, 2^64) is
 * U64, any other number is DOUBLE.
 *
 * <p>Immutable and thread-safe.
 */
record PlanLiteral(Kind kind, boolean bool, long bits, double dbl, byte[] utf8, long hash) {

    enum Kind {
        NIL,
        BOOL,
        LONG,
        U64,
        DOUBLE,
        STRING
    }

    static final PlanLiteral NIL = new PlanLiteral(Kind.NIL, false, 0, 0, null, 0);

    static PlanLiteral ofBool(boolean value) {
        return new PlanLiteral(Kind.BOOL, value, 0, 0, null, 0);
    }

    static PlanLiteral ofLong(long value) {
        return new PlanLiteral(Kind.LONG, false, value, 0, null, 0);
    }

    /** @param bits an unsigned value above Long.MAX_VALUE */
    static PlanLiteral ofU64(long bits) {
        return new PlanLiteral(Kind.U64, false, bits, 0, null, 0);
    }

    static PlanLiteral ofDouble(double value) {
        return new PlanLiteral(Kind.DOUBLE, false, 0, value, null, 0);
    }

    static PlanLiteral ofString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return new PlanLiteral(Kind.STRING, false, 0, 0, utf8, XxHash64.hash(utf8));
    }

    boolean isNumber() {
        return kind == Kind.LONG || kind == Kind.U64 || kind == Kind.DOUBLE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NIL -> "null";
            case BOOL -> Boolean.toString(bool);
            case LONG -> Long.toString(bits);
            case U64 -> Long.toUnsignedString(bits);
            case DOUBLE -> Double.toString(dbl);
            case STRING -> '"' + new String(utf8, StandardCharsets.UTF_8) + '"';
        };
    }
}
