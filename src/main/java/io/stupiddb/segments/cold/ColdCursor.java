package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.GranulePlan;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentClosedException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * A scan of one archived segment in id order, as {@code SealedSegment}'s cursor does it on a
 * mapped file, but with the records streamed from the bucket ({@link RecordBlocks}): in format v2
 * each granule is planned from the cached column index first ({@link GranulePlan}: its time range,
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
    private final ColumnIndex columns;
    private long next;
    private byte[] buffer = new byte[1024];
    /** v2: the granule {@link #next} lies in, as planned; -1 before the first. */
    private int granule = -1;

    private GranulePlan plan;
    private ByteBuffer current;
    private UUID currentId;
    private long currentTimestamp;
    private boolean closed;

    ColdCursor(RemoteSegment segment, ScanSpec spec, long start, RecordBlocks blocks) {
        this.segment = segment;
        this.spec = spec;
        this.next = start;
        this.blocks = blocks;
        this.columns = segment.columns().orElse(null);
    }

    @Override
    public boolean advance() {
        if (closed) {
            throw new SegmentClosedException(segment.id());
        }
        try {
            current = null;
            while (next < segment.documents()) {
                if (columns != null && !onCandidate()) {
                    continue;
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
                boolean certainMatch =
                        plan != null && plan.certainlyMatches((int) (ordinal - columns.firstOrdinal(granule)));
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

    /** As {@code SealedSegment}'s cursor: plans the granule of {@link #next}, moves to its next candidate. */
    private boolean onCandidate() {
        int g = (int) (next / columns.granuleRows());
        if (g != granule) {
            granule = g;
            plan = GranulePlan.of(columns, g, spec).orElse(null);
            if (plan == null) {
                return skipGranule(g);
            }
        }
        if (plan.candidates() == null) {
            return true;
        }
        int row = plan.candidates().next((int) (next - columns.firstOrdinal(g)));
        if (row < 0) {
            return skipGranule(g);
        }
        next = columns.firstOrdinal(g) + row;
        return true;
    }

    private boolean skipGranule(int g) {
        next = Math.min(segment.documents(), columns.firstOrdinal(g) + columns.rows(g));
        return false;
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
