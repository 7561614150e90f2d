package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.GranuleWalk;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentClosedException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * A scan of one archived segment in id order, as {@code SealedSegment}'s cursor does it on a
 * mapped file, but with the records streamed from the bucket ({@link RecordBlocks}): in format v2
 * each granule is planned from the cached column index first ({@link GranuleWalk}: its time range,
 * then the filter's block planner), so the records of granules that cannot match are never
 * fetched, and rows that certainly match are not evaluated again. Every record is checked
 * ({@link RemoteSegment#checkRecord}) before it is decoded or filtered.
 *
 * <p>Not thread-safe: one cursor, one thread. Holds a reference on its segment until closed.
 */
final class ColdCursor implements DocumentCursor {
    private final RemoteSegment segment;
    private final ScanSpec spec;
    private final RecordBlocks blocks;
    /** v2: the granules planned on the cached column index; null for a v1 object. */
    private final GranuleWalk walk;

    private long next;
    private byte[] buffer = new byte[1024];
    private ByteBuffer current;
    private UUID currentId;
    private long currentTimestamp;
    private boolean closed;

    ColdCursor(RemoteSegment segment, ScanSpec spec, long start, RecordBlocks blocks) {
        this.segment = segment;
        this.spec = spec;
        this.next = start;
        this.blocks = blocks;
        this.walk = segment.columns()
                .map(columns -> new GranuleWalk(columns, spec, segment.documents()))
                .orElse(null);
    }

    @Override
    public boolean advance() {
        if (closed) {
            throw new SegmentClosedException(segment.id());
        }
        try {
            current = null;
            while (next < segment.documents()) {
                if (walk != null) {
                    next = walk.candidate(next);
                    if (next >= segment.documents()) {
                        break;
                    }
                }
                long ordinal = next++;
                RecordBlocks.Block block = blocks.holding(ordinal);
                long fileOffset = segment.recordStart(ordinal);
                MemorySegment bytes = block.bytes();
                long at = fileOffset - block.start();
                int raw = segment.checkRecord(ordinal, bytes, at, fileOffset);
                long timestamp = RecordFrame.timestamp(bytes, at);
                if (!spec.inRange(timestamp)) {
                    continue;
                }
                ByteBuffer candidate;
                if (RecordFrame.isCompressed(bytes, at)) {
                    if (buffer.length < raw) {
                        buffer = new byte[Math.max(raw, buffer.length * 2)];
                    }
                    segment.decode(ordinal, bytes, at, fileOffset, buffer);
                    candidate = ByteBuffer.wrap(buffer, 0, raw);
                } else {
                    candidate =
                            bytes.asSlice(RecordFrame.payloadOffset(at), raw).asByteBuffer();
                }
                boolean certainMatch = walk != null && walk.certainlyMatches(ordinal);
                if (certainMatch || spec.filter().test(candidate.duplicate())) {
                    current = candidate;
                    currentId = new UUID(RecordFrame.idMsb(bytes, at), RecordFrame.idLsb(bytes, at));
                    currentTimestamp = timestamp;
                    return true;
                }
            }
            return false;
        } catch (IllegalStateException e) {
            throw segment.closedOr(e);
        }
    }

    @Override
    public UUID id() {
        return currentId;
    }

    @Override
    public long timestamp() {
        return currentTimestamp;
    }

    @Override
    public String segmentId() {
        return segment.id();
    }

    @Override
    public ByteBuffer source() {
        if (current == null) {
            throw new IllegalStateException("no current document: call advance() first");
        }
        return current.duplicate();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            current = null;
            blocks.close();
            segment.release();
        }
    }
}
