package io.stupiddb.segments.segment;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * A forward-only, streaming walk over the documents of a scan, one at a time (nothing is
 * collected). Holds a reference on its segment until closed: always close it
 * (try-with-resources). Not thread-safe: one cursor, one thread.
 */
public interface DocumentCursor extends AutoCloseable {

    /** Moves to the next matching document; false at the end. */
    boolean advance();

    UUID id();

    long timestamp();

    String segmentId();

    /** The current document's MessagePack bytes; valid only until the next {@link #advance()}. */
    ByteBuffer source();

    /** A copy of the current document that outlives the cursor. */
    default StoredDocument document() {
        ByteBuffer source = source();
        byte[] bytes = new byte[source.remaining()];
        source.get(bytes);
        return new StoredDocument(id(), timestamp(), segmentId(), bytes);
    }

    @Override
    void close();
}
