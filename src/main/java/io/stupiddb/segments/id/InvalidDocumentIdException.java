package io.stupiddb.segments.id;

/**
 * A document id in a request is not canonical UUIDv7 text. The REST layer maps it to a 400;
 * the message says what is wrong and is safe to show to the client (the offending text is
 * quoted, shortened when long).
 */
public final class InvalidDocumentIdException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidDocumentIdException(String message) {
        super(message);
    }
}
