package io.stupiddb.segments.query;

/**
 * The scalar kinds a filter distinguishes. Numbers come in three representations that all compare
 * with each other numerically; every other pair of different kinds is incomparable.
 */
enum ValueKind {
    NIL,
    BOOL,
    /** A signed 64-bit integer. */
    LONG,
    /** An unsigned 64-bit integer above {@link Long#MAX_VALUE}, kept as its two's-complement bits. */
    U64,
    DOUBLE,
    STRING,
    /** Something no comparison matches: MessagePack bin/ext, or an array or object inside an array. */
    OTHER;

    boolean isNumber() {
        return this == LONG || this == U64 || this == DOUBLE;
    }
}
