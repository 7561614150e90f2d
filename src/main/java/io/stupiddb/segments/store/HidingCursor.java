package io.stupiddb.segments.store;

import io.stupiddb.segments.lifecycle.Tombstones;
import io.stupiddb.segments.segment.DocumentCursor;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * A cursor that skips the documents deleted by filter ({@link Tombstones}) and not yet rewritten
 * away: one set lookup per document. Not thread-safe, like the cursor it wraps; closing it closes
 * that one.
 */
final class HidingCursor implements DocumentCursor {
    private final DocumentCursor inner;
    private final Tombstones tombstones;

    HidingCursor(DocumentCursor inner, Tombstones tombstones) {
        this.inner = inner;
        this.tombstones = tombstones;
    }

    @Override
    public boolean advance() {
        while (inner.advance()) {
            if (!tombstones.isDeleted(inner.id())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public UUID id() {
        return inner.id();
    }

    @Override
    public long timestamp() {
        return inner.timestamp();
    }

    @Override
    public String segmentId() {
        return inner.segmentId();
    }

    @Override
    public ByteBuffer source() {
        return inner.source();
    }

    @Override
    public void close() {
        inner.close();
    }
}
