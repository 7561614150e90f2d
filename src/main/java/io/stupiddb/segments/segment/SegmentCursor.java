package io.stupiddb.segments.segment;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * What the cursors of one segment share: the current document, and closing once (releasing
 * the reference on the segment). Subclasses walk their records in {@link #advance()} and call
 * {@link #found} or {@link #end}. Not thread-safe, like every cursor.
 */
abstract class SegmentCursor implements DocumentCursor {
    private final String segmentId;
    private ByteBuffer current;
    private UUID currentId;
    private long currentTimestamp;
    private boolean closed;

    SegmentCursor(String segmentId) {
        this.segmentId = segmentId;
    }

    /** Makes a document current; returns true for {@code advance()} to return. */
    protected final boolean found(ByteBuffer source, UUID id, long timestamp) {
        current = source;
        currentId = id;
        currentTimestamp = timestamp;
        return true;
    }

    /** No further document; returns false for {@code advance()} to return. */
    protected final boolean end() {
        current = null;
        return false;
    }

    /** @throws SegmentClosedException when the cursor was closed */
    protected final void checkOpen() {
        if (closed) {
            throw new SegmentClosedException(segmentId);
        }
    }

    /** Releases what the cursor holds on its segment; called once. */
    protected abstract void release();

    @Override
    public final UUID id() {
        return currentId;
    }

    @Override
    public final long timestamp() {
        return currentTimestamp;
    }

    @Override
    public final String segmentId() {
        return segmentId;
    }

    @Override
    public final ByteBuffer source() {
        if (current == null) {
            throw new IllegalStateException("no current document: call advance() first");
        }
        return current.duplicate();
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            current = null;
            release();
        }
    }
}
