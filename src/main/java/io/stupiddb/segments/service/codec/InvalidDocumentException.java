package io.stupiddb.segments.service.codec;

/**
 * A request body, or one element of it, that cannot be stored. The message says where:
 * {@code element 3: not a JSON object}, {@code line 7: unexpected end of input},
 * {@code request body: empty batch}. Nothing of the body may be written when this is thrown.
 */
public final class InvalidDocumentException extends RuntimeException {

    /** What is wrong, with the HTTP status the API answers with. */
    public enum Kind {
        /** Not valid JSON / NDJSON / MessagePack, invalid UTF-8, nesting too deep, duplicate keys, empty batch. */
        MALFORMED(400),
        /** An element (or the body) is valid but not an object / map. */
        NOT_AN_OBJECT(400),
        /**
         * Valid syntax carrying a value the store does not keep: MessagePack binary or extension values,
         * non-string map keys, integers outside int64/uint64, NaN or infinite floats.
         */
        UNSUPPORTED_VALUE(400),
        /** A document whose MessagePack encoding exceeds {@code segments.max-document-size}. */
        TOO_LARGE(413),
        /** The top-level timestamp field is neither an RFC 3339 string nor integer epoch milliseconds. */
        BAD_TIMESTAMP(400);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status the API answers with. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final int index;
    private final int line;
    private final String detail;

    /**
     * @param index 0-based element index, or -1 when the problem is the body as a whole
     * @param line  1-based NDJSON line, or -1 for other media types and body-wide problems
     */
    public InvalidDocumentException(Kind kind, int index, int line, String detail) {
        super(where(index, line) + ": " + detail);
        this.kind = kind;
        this.index = index;
        this.line = line;
        this.detail = detail;
    }

    private static String where(int index, int line) {
        if (line > 0) {
            return "line " + line;
        }
        return index >= 0 ? "element " + index : "request body";
    }

    public Kind kind() {
        return kind;
    }

    /** 0-based index of the offending element, or -1 when the body as a whole is wrong. */
    public int index() {
        return index;
    }

    /** 1-based NDJSON line of the offending element, or -1. */
    public int line() {
        return line;
    }

    /** The message without the location prefix. */
    public String detail() {
        return detail;
    }
}
