package io.stupiddb.segments.format.column;

/** The type of value a field mostly holds in a sample, as field discovery reports it. */
public enum FieldType {
    NULL,
    BOOLEAN,
    INTEGER,
    FLOAT,
    STRING,
    /** Arrays, objects, bin/ext, huge integers, NaN: nothing a column can answer for. */
    OTHER;

    static FieldType of(int tag) {
        if (tag >= FieldValues.TAG_MAP) {
            return OTHER;
        }
        return switch (ColumnKind.ofCode(tag)) {
            case NULL -> NULL;
            case FALSE, TRUE -> BOOLEAN;
            case INT -> INTEGER;
            case FLOAT -> FLOAT;
            case STRING -> STRING;
            case MISSING, OTHER -> OTHER;
        };
    }

    /** Whether a column of this type can answer filters (the others would be all OTHER rows). */
    public boolean isColumnar() {
        return this == BOOLEAN || this == INTEGER || this == FLOAT || this == STRING;
    }
}
