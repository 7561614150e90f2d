package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.PayloadCompressor;
import io.stupiddb.segments.format.PayloadDecompressor;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.SegmentIndex;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The segment being written: {@code <id>.active}, a header followed by records, no index or
 * footer yet (docs/FORMAT.md). {@link #seal()} appends index and footer, fsyncs, and renames it
 * to {@code <id>.seg}.
 *
 * <p>Invariants: ids strictly increase in write order; the file is valid up to
 * {@code position} (a failed write is cut off again); readers only see records that are
 * acknowledged-able: with {@link DurabilityMode#ALWAYS} only records already fsynced, so a
 * reader never sees a document a crash could take back.
 *
 * <p>Thread-safety: {@link #append} is safe from many threads; appends are serialised by the
 * append lock (one writer) and share fsyncs through {@link GroupCommit}. Reads ({@link #get},
 * {@link #scan}, {@link #info}) are lock-free: they read an immutable {@link ActiveIndex.View}
 * and use positional reads on the channel, which stays open until the last reader has left
 * (reference count), even after sealing.
 *
 * <p>Why one class of ~500 lines: appends, sealing and reads share the state the append lock
 * guards (index, end position, timestamp range, last id) and the reference count that keeps the
 * channel open; recovery ({@link ActiveSegmentRecovery}) and record reads
 * ({@link ActiveRecordReader}) are apart, what is left is that one lock's invariants in one place.
 */
public final class ActiveSegment implements AutoCloseable {
    /** {@link #frameBuffer}'s size: a few writes for the largest batches, little memory per segment. */
    static final int FRAME_BUFFER_BYTES = 256 << 10;

    private final Path path;
    private final SegmentHeader header;
    private final FileChannel channel;
    private final DurabilityMode durability;
    private final InstantSource clock;
    private final PayloadCompressor compressor;
    private final PayloadDecompressor decompressor;
    private final GroupCommit groupCommit;
    private final RefCount refs;
    /** Shared with the store's other segments; null: each segment has a small pool of its own. */
    private final DecompressionContexts contexts;

    /** Serialises appends and seal: the one writer. */
    private final ReentrantLock appendLock = new ReentrantLock();
    // Guarded by appendLock.
    private final ActiveIndex index;
    private long position;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastMsb;
    private long lastLsb;
    private boolean sealed;
    /**
     * Where a batch's frames are gathered and from which they are written, whenever it fills: one
     * buffer for the segment's life instead of one array of the whole batch per write. A batch of
     * 1,000 log lines (~700 KB of frames) was a G1 humongous object (over half a region of a 1 GiB
     * heap), allocated in the old generation and starting concurrent cycles under HTTP ingest; and
     * a heap buffer is copied once more by the JDK, into a temporary direct buffer it caches per
     * writing thread (one per request thread).
     */
    private final ByteBuffer frameBuffer = ByteBuffer.allocateDirect(FRAME_BUFFER_BYTES);
    /** Set once seal() has forced every byte: waiters for durability are covered. */
    private volatile boolean sealedDurably;

    /** The newest complete write: what a sync covers. */
    private volatile WriteMark lastWrite;
    /** What readers see. */
    private volatile ActiveIndex.View visible;

    private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();

    private record WriteMark(long position, int count, long minTimestamp, long maxTimestamp) {}

    /** Continues {@code start}: the records an {@link ActiveFileScan} found (none for a new file). */
    private ActiveSegment(
            Path path,
            SegmentHeader header,
            FileChannel channel,
            DurabilityMode durability,
            InstantSource clock,
            ActiveFileScan start,
            DecompressionContexts contexts) {
        this.contexts = contexts;
        this.path = path;
        this.header = header;
        this.channel = channel;
        this.durability = durability;
        this.clock = clock;
        this.index = start.index();
        this.position = start.end();
        this.minTimestamp = start.minTimestamp();
        this.maxTimestamp = start.maxTimestamp();
        this.lastMsb = start.lastMsb();
        this.lastLsb = start.lastLsb();
        this.compressor = new PayloadCompressor(header);
        this.decompressor = contexts == null
                ? new PayloadDecompressor(header, path)
                : new PayloadDecompressor(header, path, contexts);
        this.groupCommit = new GroupCommit(this::syncNow, position);
        this.refs = new RefCount(header.segmentId(), this::releaseResources);
        WriteMark mark = new WriteMark(position, index.count(), minTimestamp, maxTimestamp);
        this.lastWrite = mark;
        this.visible = index.view(mark.count, mark.position, mark.minTimestamp, mark.maxTimestamp);
    }

    /** An active segment over a recovered file ({@link ActiveSegmentRecovery}), continuing after its records. */
    static ActiveSegment resume(
            Path path,
            SegmentHeader header,
            FileChannel channel,
            DurabilityMode durability,
            InstantSource clock,
            ActiveFileScan scan,
            DecompressionContexts contexts) {
        return new ActiveSegment(path, header, channel, durability, clock, scan, contexts);
    }

    /**
     * Creates {@code <dir>/<id>.active} with its header, fsynced together with the directory so
     * the file exists after a crash before the first document is acknowledged.
     */
    public static ActiveSegment create(Path dir, SegmentHeader header, DurabilityMode durability, InstantSource clock)
            throws IOException {
        return create(dir, header, durability, clock, null);
    }

    /** As {@link #create(Path, SegmentHeader, DurabilityMode, InstantSource)}, reading with the store's shared contexts. */
    public static ActiveSegment create(
            Path dir,
            SegmentHeader header,
            DurabilityMode durability,
            InstantSource clock,
            DecompressionContexts contexts)
            throws IOException {
        if (header.version() != FormatVersion.V1) {
            // An active file is always the row layout (e.g. a salvage copying a v2 segment's header).
            header = header.withVersion(FormatVersion.V1);
        }
        Path path = SegmentFiles.active(dir, header.segmentId());
        FileChannel channel = FileChannel.open(
                path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        boolean success = false;
        try {
            byte[] encoded = header.encode();
            DurableFiles.writeFully(channel, ByteBuffer.wrap(encoded), 0);
            channel.force(true);
            DurableFiles.syncDirectory(dir);
            ActiveSegment segment = new ActiveSegment(
                    path, header, channel, durability, clock, ActiveFileScan.empty(encoded.length), contexts);
            success = true;
            return segment;
        } finally {
            if (!success) {
                channel.close();
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Appends a batch and returns once it is as durable as the mode promises: {@link #write}
     * then {@link #awaitDurable}.
     */
    public void append(List<NewDocument> batch) throws IOException {
        awaitDurable(write(batch));
    }

    /**
     * Writes a batch (all or nothing: on any error nothing of it is visible, and the file is cut
     * back) without waiting for fsync. Callers that assign ids under a lock write under it and
     * wait outside it, so that concurrent batches share fsyncs.
     *
     * @return the durability ticket to pass to {@link #awaitDurable}
     * @throws IllegalArgumentException when an id does not increase or a document is too large (nothing written)
     * @throws SegmentClosedException when the segment was sealed meanwhile (nothing written; use the next one)
     */
    public long write(List<NewDocument> batch) throws IOException {
        if (batch.isEmpty()) {
            return 0;
        }
        refs.acquire();
        try {
            WriteMark mark = writeFrames(batch);
            if (durability != DurabilityMode.ALWAYS) {
                publish(mark);
            }
            return mark.position;
        } finally {
            refs.release();
        }
    }

    /**
     * Returns once everything up to {@code ticket} is as durable as the mode promises (with
     * {@link DurabilityMode#ALWAYS}: fsynced, and visible to readers). Thread-safe.
     */
    public void awaitDurable(long ticket) throws IOException {
        if (durability != DurabilityMode.ALWAYS) {
            return;
        }
        try {
            refs.acquire();
        } catch (SegmentClosedException e) {
            if (sealedDurably) {
                return; // seal() forced every byte written before it
            }
            throw new IOException("segment " + header.segmentId() + " closed before the write was durable", e);
        }
        try {
            groupCommit.awaitDurable(ticket);
        } finally {
            refs.release();
        }
    }

    private WriteMark writeFrames(List<NewDocument> batch) throws IOException {
        appendLock.lock();
        try {
            if (sealed) {
                throw new SegmentClosedException(header.segmentId());
            }
            IOException failure = groupCommit.failure();
            if (failure != null) {
                throw new IOException("segment " + header.segmentId() + " failed earlier and needs recovery", failure);
            }
            long capacity = 0;
            long msb = lastMsb;
            long lsb = lastLsb;
            long min = minTimestamp;
            long max = maxTimestamp;
            boolean first = index.count() == 0;
            for (NewDocument doc : batch) {
                long docMsb = doc.id().getMostSignificantBits();
                long docLsb = doc.id().getLeastSignificantBits();
                if (!first && SegmentIndex.compare(docMsb, docLsb, msb, lsb) <= 0) {
                    throw new IllegalArgumentException("document ids must increase: " + doc.id());
                }
                if (doc.source().length > RecordFrame.MAX_PAYLOAD) {
                    throw new IllegalArgumentException("document larger than " + RecordFrame.MAX_PAYLOAD + " bytes");
                }
                first = false;
                msb = docMsb;
                lsb = docLsb;
                capacity += RecordFrame.OVERHEAD + doc.source().length;
                min = Math.min(min, doc.timestamp());
                max = Math.max(max, doc.timestamp());
            }
            if (capacity > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("batch larger than 2 GiB");
            }
            int countBefore = index.count();
            long written; // the batch's bytes, all written to the file after position
            try {
                written = writeBatchFrames(batch);
            } catch (IOException | RuntimeException e) {
                // nothing of the batch stays: neither its index entries nor bytes written so far
                index.truncate(countBefore);
                undoPartialWrite(e);
                throw e;
            }
            position += written;
            minTimestamp = min;
            maxTimestamp = max;
            lastMsb = msb;
            lastLsb = lsb;
            WriteMark mark = new WriteMark(position, index.count(), min, max);
            lastWrite = mark;
            return mark;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Frames, indexes and writes {@code batch} after {@link #position} (which it leaves as it is),
     * through {@link #frameBuffer}; a frame larger than that buffer is written from one of its own.
     * Caller holds the append lock and undoes the index and the file on an exception.
     *
     * @return the bytes written
     */
    private long writeBatchFrames(List<NewDocument> batch) throws IOException {
        ByteBuffer frames = frameBuffer.clear();
        long written = 0;
        for (NewDocument doc : batch) {
            byte[] source = doc.source();
            compressor.compress(source, source.length);
            int length = RecordFrame.OVERHEAD + compressor.outputLength();
            if (frames.remaining() < length) {
                written += flush(frames, position + written);
                frames = length <= frameBuffer.capacity() ? frameBuffer.clear() : ByteBuffer.allocateDirect(length);
            }
            long offset = position + written + frames.position();
            RecordFrame.write(
                    frames,
                    doc.id().getMostSignificantBits(),
                    doc.id().getLeastSignificantBits(),
                    doc.timestamp(),
                    compressor.isCompressed(),
                    source.length,
                    compressor.output(),
                    compressor.outputLength());
            index.add(doc.id().getMostSignificantBits(), doc.id().getLeastSignificantBits(), offset, length);
        }
        return written + flush(frames, position + written);
    }

    /** Writes what {@code frames} holds at {@code at}; returns how many bytes that was. */
    private long flush(ByteBuffer frames, long at) throws IOException {
        frames.flip();
        int length = frames.remaining();
        DurableFiles.writeFully(channel, frames, at);
        frames.clear();
        return length;
    }

    /** Cuts a partly written batch off again so the next append starts on a clean end. */
    private void undoPartialWrite(Exception cause) {
        try {
            channel.truncate(position);
        } catch (IOException e) {
            cause.addSuppressed(e);
            groupCommit.fail(
                    cause instanceof IOException io
                            ? io
                            : new IOException("a failed batch could not be cut back", cause));
        }
    }

    /** The group-commit leader's fsync: covers every write completed before it started. */
    private long syncNow() throws IOException {
        WriteMark mark = lastWrite;
        channel.force(false);
        syncs.incrementAndGet();
        publish(mark);
        return mark.position;
    }

    /**
     * For {@link DurabilityMode#INTERVAL}: forces what was written so far. Thread-safe; cheap
     * when nothing was written since the last sync.
     */
    public void sync() throws IOException {
        refs.acquire();
        try {
            groupCommit.awaitDurable(lastWrite.position);
        } finally {
            refs.release();
        }
    }

    private void publish(WriteMark mark) {
        synchronized (index) {
            if (mark.count > visible.count()) {
                visible = index.view(mark.count, mark.position, mark.minTimestamp, mark.maxTimestamp);
            }
        }
    }

    /**
     * Writes the index and footer after the last record, fsyncs, renames the file to
     * {@code <id>.seg}, fsyncs the directory and opens it as a sealed segment. This segment stops
     * taking appends; its readers finish on the old channel.
     *
     * @throws IllegalStateException when there is no document to seal (delete the file instead)
     */
    public SealedSegment seal() throws IOException {
        return seal(published -> {});
    }

    /**
     * As {@link #seal()}, handing the sealed segment to {@code publish} before this segment
     * closes: a store swaps its view there, so a reader that finds this segment closed always
     * finds the sealed one in the view (no window in between).
     */
    public SealedSegment seal(java.util.function.Consumer<SealedSegment> publish) throws IOException {
        Path sealedPath;
        appendLock.lock();
        try {
            if (sealed) {
                throw new IllegalStateException("segment " + header.segmentId() + " is already sealed");
            }
            if (index.count() == 0) {
                throw new IllegalStateException("segment " + header.segmentId() + " is empty; nothing to seal");
            }
            IOException failure = groupCommit.failure();
            if (failure != null) {
                throw new IOException("segment " + header.segmentId() + " failed earlier and needs recovery", failure);
            }
            int count = index.count();
            ActiveIndex.View all = index.view(count, position, minTimestamp, maxTimestamp);
            // the index, through the frame buffer (a segment's index is megabytes), then the footer
            ByteBuffer entries = frameBuffer.clear();
            CRC32C indexCrc = new CRC32C();
            long at = position;
            for (int i = 0; i < count; i++) {
                if (entries.remaining() < SegmentIndex.ENTRY_SIZE) {
                    indexCrc.update(entries.duplicate().flip());
                    at += flush(entries, at);
                }
                SegmentIndex.writeEntry(entries, all.msb(i), all.lsb(i), all.offset(i));
            }
            indexCrc.update(entries.duplicate().flip());
            at += flush(entries, at);
            SegmentFooter footer = new SegmentFooter(
                    position,
                    (int) (at - position),
                    count,
                    minTimestamp,
                    maxTimestamp,
                    new UUID(all.msb(0), all.lsb(0)),
                    new UUID(lastMsb, lastLsb),
                    clock.millis(),
                    (int) indexCrc.getValue());
            DurableFiles.writeFully(channel, ByteBuffer.wrap(footer.encode()), at);
            channel.force(true);
            sealedPath = SegmentFiles.sealed(path.getParent(), header.segmentId());
            Files.move(path, sealedPath, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(path.getParent());
            sealed = true;
            sealedDurably = true;
            publish(new WriteMark(position, count, minTimestamp, maxTimestamp));
        } finally {
            appendLock.unlock();
        }
        SealedSegment result = SealedSegment.open(sealedPath, SegmentState.SEALED, contexts);
        publish.accept(result);
        refs.close();
        return result;
    }

    public String id() {
        return header.segmentId();
    }

    public SegmentHeader header() {
        return header;
    }

    public Path path() {
        return path;
    }

    public SegmentInfo info() {
        ActiveIndex.View view = visible;
        boolean empty = view.count() == 0;
        return new SegmentInfo(
                header.segmentId(),
                SegmentState.ACTIVE,
                header.createdAtMillis(),
                null,
                null,
                empty ? null : view.minTimestamp(),
                empty ? null : view.maxTimestamp(),
                empty ? null : new UUID(view.msb(0), view.lsb(0)),
                empty ? null : new UUID(view.msb(view.count() - 1), view.lsb(view.count() - 1)),
                view.count(),
                view.endPosition(),
                header.codec(),
                header.level(),
                header.version());
    }

    /** fsyncs run for appends so far (group commit shares one among concurrent batches). */
    public long syncCount() {
        return syncs.get();
    }

    /** Documents readers can see. */
    public long documents() {
        return visible.count();
    }

    /** Looks up one document; lock-free. */
    public Optional<StoredDocument> get(UUID id) throws IOException {
        refs.acquire();
        try {
            ActiveIndex.View view = visible;
            int ordinal = view.find(id.getMostSignificantBits(), id.getLeastSignificantBits());
            if (ordinal < 0) {
                return Optional.empty();
            }
            ActiveRecordReader reader = new ActiveRecordReader(channel, path);
            reader.read(view, ordinal);
            byte[] source = decompressor.decode(reader.data(), 0);
            return Optional.of(
                    new StoredDocument(id, RecordFrame.timestamp(reader.data(), 0), header.segmentId(), source));
        } finally {
            refs.release();
        }
    }

    /** A cursor over the documents visible now that match {@code spec}; close it. */
    public DocumentCursor scan(ScanSpec spec) {
        return scan(spec, ScanWorkers.NONE);
    }

    /**
     * As {@link #scan(ScanSpec)}; the records are read by {@code workers} as well as the caller
     * ({@link ParallelActiveCursor}) when they offer more than one.
     */
    public DocumentCursor scan(ScanSpec spec, ScanWorkers workers) {
        refs.acquire();
        try {
            ActiveIndex.View view = visible;
            if (view.count() == 0 || !spec.overlaps(view.minTimestamp(), view.maxTimestamp())) {
                return new Cursor(view, view.count(), spec);
            }
            int start = spec.afterId() == null
                    ? 0
                    : view.lowerBound(
                            spec.afterId().getMostSignificantBits(),
                            spec.afterId().getLeastSignificantBits(),
                            false);
            if (workers.parallelism() > 1) {
                return new ParallelActiveCursor(
                        header.segmentId(), view, start, spec, channel, path, decompressor, refs::release, workers);
            }
            return new Cursor(view, start, spec);
        } catch (RuntimeException e) {
            refs.release();
            throw e;
        }
    }

    private final class Cursor extends SegmentCursor {
        private final ActiveIndex.View view;
        private final ActiveScanStep step;
        private int next;

        Cursor(ActiveIndex.View view, int start, ScanSpec spec) {
            super(header.segmentId());
            this.view = view;
            this.next = start;
            this.step = new ActiveScanStep(channel, path, decompressor, spec);
        }

        @Override
        public boolean advance() {
            checkOpen();
            try {
                while (next < view.count()) {
                    int ordinal = next++;
                    ByteBuffer match = step.match(view, ordinal);
                    if (match != null) {
                        return found(match, new UUID(view.msb(ordinal), view.lsb(ordinal)), step.timestamp());
                    }
                }
                return end();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("reading " + path, e);
            }
        }

        @Override
        protected void release() {
            refs.release();
        }
    }

    /**
     * Closes without sealing (shutdown of a store that seals elsewhere, or tests): the file stays
     * {@code .active} and is recovered at the next start.
     */
    @Override
    public void close() {
        appendLock.lock();
        try {
            sealed = true;
        } finally {
            appendLock.unlock();
        }
        refs.close();
    }

    /** Waits (bounded) until every reader has left and the file is closed. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return refs.awaitReleased(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void releaseResources() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: the data is on disk or will be recovered from it.
        }
        compressor.close();
        decompressor.close();
    }
}
