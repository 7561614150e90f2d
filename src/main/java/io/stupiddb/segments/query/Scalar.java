package io.stupiddb.segments.query;

import java.nio.ByteBuffer;

/**
 * The document value currently being tested, reused for every value of one evaluation so that
 * testing a value allocates nothing. A string is not decoded: it stays a range of UTF-8 bytes in
 * the document's buffer.
 *
 * <p>Mutable and confined to one evaluation on one thread.
 */
final class Scalar {

    ValueKind kind = ValueKind.OTHER;
    boolean bool;
    /** LONG: the value; U64: the unsigned bits. */
    long bits;

    double dbl;
    ByteBuffer text;
    int textOffset;
    int textLength;

    void setNil() {
        kind = ValueKind.NIL;
    }

    void setBool(boolean value) {
        kind = ValueKind.BOOL;
        bool = value;
    }

    void setLong(long value) {
        kind = ValueKind.LONG;
        bits = value;
    }

    /** An unsigned 64-bit value; folds into LONG when it fits. */
    void setUnsigned(long unsignedBits) {
        kind = unsignedBits < 0 ? ValueKind.U64 : ValueKind.LONG;
        bits = unsignedBits;
    }

    void setDouble(double value) {
        kind = ValueKind.DOUBLE;
        dbl = value;
    }

    void setString(ByteBuffer buffer, int offset, int length) {
        kind = ValueKind.STRING;
        text = buffer;
        textOffset = offset;
        textLength = length;
    }

    void setOther() {
        kind = ValueKind.OTHER;
    }
}
