package io.stupiddb.segments.api;

/** No document with this id (404). */
public final class DocumentNotFoundException extends RuntimeException {
    public DocumentNotFoundException(String id) {
        super("no document " + id);
    }
}
