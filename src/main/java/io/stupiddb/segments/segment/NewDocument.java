package io.stupiddb.segments.segment;

import java.util.Objects;
import java.util.UUID;

/**
 * A document about to be appended: its store-assigned id, its event time and its MessagePack
 * encoding (one map). The array is owned by the writer from here on; callers do not change it.
 */
public record NewDocument(UUID id, long timestamp, byte[] source) {
    public NewDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        if (source.length == 0) {
            throw new IllegalArgumentException("empty document");
        }
    }
}
