package io.stupiddb.segments.store;

import java.util.Objects;

/**
 * A document handed to {@link SegmentStore#write}: its MessagePack map and its event time in
 * epoch milliseconds, or null for "the ingest time".
 */
public record IncomingDocument(byte[] source, Long timestamp) {
    public IncomingDocument {
        Objects.requireNonNull(source, "source");
    }
}
