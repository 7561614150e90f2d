package io.stupiddb.segments.store;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One document to write, as the request codecs produce it and {@link SegmentStore#write} takes
 * it: its MessagePack map and its event time in epoch milliseconds, or empty for "the ingest time".
 * The store assigns the id.
 */
public record DocumentToWrite(byte[] source, OptionalLong timestamp) {
    public DocumentToWrite {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** A document with its own event time. */
    public static DocumentToWrite at(byte[] source, long timestamp) {
        return new DocumentToWrite(source, OptionalLong.of(timestamp));
    }

    /** A document without an event time: the store stamps it with the ingest time. */
    public static DocumentToWrite atIngestTime(byte[] source) {
        return new DocumentToWrite(source, OptionalLong.empty());
    }
}
