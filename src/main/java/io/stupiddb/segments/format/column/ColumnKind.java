package io.stupiddb.segments.format.column;

/**
 * What one row holds at a column's path. The code is the bit number in a column block's kind
 * mask and the order in which kind bitmaps are stored.
 *
 * <p>{@link #MISSING} means the path reaches nothing (no key, or a non-object on the way), which
 * a filter treats exactly like an absent field. {@link #OTHER} means "the column cannot say":
 * an array or object at the path, an array on the way (a filter step looks into arrays of
 * objects), a repeated key, an integer above {@link Long#MAX_VALUE}, NaN, bin or ext. Rows of
 * kind OTHER must be evaluated on the document.
 */
public enum ColumnKind {
    MISSING,
    NULL,
    FALSE,
    TRUE,
    /** A signed 64-bit integer. */
    INT,
    /** A finite or infinite double (float32 widened); never NaN. */
    FLOAT,
    /** A string, kept as its UTF-8 bytes. */
    STRING,
    OTHER;

    private static final ColumnKind[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static ColumnKind ofCode(int code) {
        return BY_CODE[code];
    }
}
