package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.ColumnLocator;
import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.PayloadDecompressor;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.FieldValues;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A sealed segment file ({@code <id>.seg}) mapped read-only through FFM: header, records, index,
 * footer (docs/FORMAT.md), and in format v2 the column index. Opening reads only header, footer,
 * column locator and granule table (O(1) in the records); the index checksum is verified once, by
 * the first lookup or scan, every record's checksum on every read, and a column group's on every
 * use, so a damaged file raises {@link CorruptSegmentException} and never returns wrong data.
 *
 * <p>Scans of a v2 file go granule by granule: a granule outside the time range is skipped from
 * the granule table, and when the scan has a planner ({@link ScanSpec#planner()}) the granule's
 * columns decide which rows can match, so only those records are read, and those that certainly
 * match are not evaluated again.
 *
 * <p>Damage confined to one record (its checksum, fields, id or payload) raises the subclass
 * {@link CorruptRecordException} naming that document: the rest of the segment stays readable.
 *
 * <p>Thread-safety: all reads are lock-free and may run concurrently; each holds a reference
 * (one CAS) so that {@link #close} unmaps only after the last reader has left. Reads that start
 * after close get {@link SegmentClosedException}. Unmapping is deterministic (a shared arena
 * closed by the last reader), so an evicted file's disk space comes back at once rather than at
 * some garbage collection.
 */
public final class SealedSegment implements AutoCloseable {
    private final Path path;
    private final SegmentState state;
    private final Arena arena;
    private final MemorySegment data;
    private final SegmentHeader header;
    private final SegmentFooter footer;
    private final PayloadDecompressor decompressor;
    /** Format v2's column index; null for a v1 file. */
    private final ColumnIndex columns;
    /** Header, footer and column index together, for the id index lookups. */
    private final SegmentLayout layout;

    private final RefCount refs;
    private volatile boolean indexVerified;
    private volatile Runnable afterUnmap = () -> {};

    private SealedSegment(
            Path path,
            SegmentState state,
            Arena arena,
            MemorySegment data,
            SegmentHeader header,
            SegmentFooter footer,
            ColumnIndex columns,
            DecompressionContexts contexts) {
        this.path = path;
        this.columns = columns;
        this.state = state;
        this.arena = arena;
        this.data = data;
        this.footer = footer;
        this.decompressor = contexts == null
                ? new PayloadDecompressor(header, path)
                : new PayloadDecompressor(header, path, contexts);
        this.header = decompressor.header(); // the dictionary shared with other segments, not a copy
        this.layout = new SegmentLayout(this.header, footer, columns);
        this.refs = new RefCount(header.segmentId(), this::unmap);
    }

    /**
     * Maps {@code path} and checks its header and footer.
     *
     * @throws CorruptSegmentException when the file fails a check (quarantine it)
     */
    public static SealedSegment open(Path path, SegmentState state) throws IOException {
        return open(path, state, null);
    }

    /**
     * Maps {@code path} and checks its header and footer; decompresses with the store's shared
     * contexts (null: a small pool of its own).
     *
     * @throws CorruptSegmentException when the file fails a check (quarantine it)
     */
    public static SealedSegment open(Path path, SegmentState state, DecompressionContexts contexts) throws IOException {
        // One shared arena per mapped file: closable from any thread, closed by the last reader.
        Arena arena = Arena.ofShared();
        boolean success = false;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < SegmentFooter.SIZE + RecordFrame.OVERHEAD) {
                throw new CorruptSegmentException(path, 0, "file too short for a sealed segment (" + size + " bytes)");
            }
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            SegmentLayout layout = SegmentLayout.decode(data, path, contexts == null ? null : contexts.dictionaries());
            SegmentHeader header = layout.header();
            SegmentFooter footer = layout.footer();
            ColumnIndex columns = layout.columns();
            Optional<String> expected = SegmentFiles.idOf(path, SegmentFiles.SEALED);
            if (expected.isPresent() && !expected.get().equals(header.segmentId())) {
                throw new CorruptSegmentException(
                        path,
                        0,
                        "header names segment " + header.segmentId() + " but the file is named " + path.getFileName());
            }
            SealedSegment segment = new SealedSegment(path, state, arena, data, header, footer, columns, contexts);
            success = true;
            return segment;
        } finally {
            if (!success) {
                arena.close();
            }
        }
    }

    public String id() {
        return header.segmentId();
    }

    public Path path() {
        return path;
    }

    public SegmentHeader header() {
        return header;
    }

    public SegmentFooter footer() {
        return footer;
    }

    /** The file's format version: 1 (rows only) or 2 (with the column index). */
    public int formatVersion() {
        return header.version();
    }

    /** Format v2's column index; empty for a v1 file. Valid while the segment is open. */
    public Optional<ColumnIndex> columns() {
        return Optional.ofNullable(columns);
    }

    public SegmentState state() {
        return state;
    }

    public long sizeBytes() {
        return data.byteSize();
    }

    public SegmentInfo info(Long archivedAt) {
        return new SegmentInfo(
                header.segmentId(),
                state,
                header.createdAtMillis(),
                footer.sealedAtMillis(),
                archivedAt,
                footer.minTimestamp(),
                footer.maxTimestamp(),
                footer.minId(),
                footer.maxId(),
                footer.documents(),
                data.byteSize(),
                header.codec(),
                header.level(),
                header.version());
    }

    /** Looks up one document by id: binary search on the mapped index, one record read. */
    public Optional<StoredDocument> get(UUID id) {
        acquire();
        try {
            verifyIndexOnce();
            long ordinal = layout.find(data, id);
            if (ordinal < 0) {
                return Optional.empty();
            }
            long offset = checkedRecord(ordinal);
            byte[] source = new byte[RecordFrame.rawLength(data, offset)];
            decode(ordinal, offset, source);
            return Optional.of(new StoredDocument(id, RecordFrame.timestamp(data, offset), header.segmentId(), source));
        } catch (IllegalStateException e) {
            throw closedOr(e);
        } finally {
            refs.release();
        }
    }

    /** A streaming cursor over matching documents in id order; holds a reference until closed. */
    public DocumentCursor scan(ScanSpec spec) {
        return scan(spec, ScanWorkers.NONE);
    }

    /**
     * As {@link #scan(ScanSpec)}; a v2 file is read by {@code workers} as well as the caller
     * ({@link ParallelGranuleCursor}) when they offer more than one.
     */
    public DocumentCursor scan(ScanSpec spec, ScanWorkers workers) {
        acquire();
        try {
            verifyIndexOnce();
            long start = layout.scanStart(data, spec);
            if (columns != null && workers.parallelism() > 1) {
                return new ParallelGranuleCursor(this, columns, start, spec, workers);
            }
            return new Cursor(start, spec);
        } catch (RuntimeException e) {
            refs.release();
            throw e instanceof IllegalStateException ise ? closedOr(ise) : e;
        }
    }

    /** A cursor over all documents matching {@code filter}. */
    public DocumentCursor scan(RecordFilter filter) {
        return scan(ScanSpec.filtered(filter));
    }

    /** A cursor over documents with {@code from <= timestamp < to}. */
    public DocumentCursor scanRange(long fromInclusive, long toExclusive) {
        return scan(ScanSpec.range(fromInclusive, toExclusive));
    }

    /**
     * Full check of every byte: index checksum, every record's checksum, id order, that the
     * index points at each record in turn, counts and time range against the footer, and that
     * every payload decompresses. O(file size).
     */
    public void verify() {
        acquire();
        try {
            footer.verifyIndex(data, path);
            long offset = header.encodedLength();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            byte[] buffer = new byte[1024];
            ColumnCheck columnCheck = columns == null ? null : new ColumnCheck();
            FieldValues.Reader documentValues = new FieldValues.Reader(null);
            for (long ordinal = 0; ordinal < footer.documents(); ordinal++) {
                if (offset != SegmentIndex.entryOffset(data, footer.indexOffset(), ordinal)) {
                    throw new CorruptSegmentException(path, offset, "index entry " + ordinal + " points elsewhere");
                }
                long length = RecordFrame.check(data, offset, footer.indexOffset());
                if (length < 0) {
                    throw new CorruptSegmentException(path, offset, RecordFrame.describe(length));
                }
                checkIdMatchesIndex(ordinal, offset);
                if (ordinal > 0
                        && SegmentIndex.compare(
                                        SegmentIndex.entryMsb(data, footer.indexOffset(), ordinal - 1),
                                        SegmentIndex.entryLsb(data, footer.indexOffset(), ordinal - 1),
                                        RecordFrame.idMsb(data, offset),
                                        RecordFrame.idLsb(data, offset))
                                >= 0) {
                    throw new CorruptSegmentException(path, offset, "ids do not increase");
                }
                int raw = RecordFrame.rawLength(data, offset);
                if (buffer.length < raw) {
                    buffer = new byte[raw];
                }
                decompressor.decode(data, offset, buffer);
                long timestamp = RecordFrame.timestamp(data, offset);
                min = Math.min(min, timestamp);
                max = Math.max(max, timestamp);
                if (columnCheck != null) {
                    columnCheck.row(ordinal, timestamp, documentValues.read(buffer, 0, raw));
                }
                offset += length;
            }
            if (offset != footer.indexOffset()) {
                throw new CorruptSegmentException(path, offset, "bytes between the last record and the index");
            }
            if (footer.documents() > 0 && (min != footer.minTimestamp() || max != footer.maxTimestamp())) {
                throw new CorruptSegmentException(
                        path, data.byteSize() - SegmentFooter.SIZE, "footer time range does not match the records");
            }
        } finally {
            refs.release();
        }
    }

    /**
     * The column index against the records, granule by granule: each granule's column group must
     * be exactly what the writer makes of its records (re-encoded and compared byte for byte), and
     * its time range theirs.
     */
    private final class ColumnCheck {
        private final List<ColumnPath> paths = columns.schema().paths();
        private final List<FieldValues> rows = new ArrayList<>();
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;

        void row(long ordinal, long timestamp, FieldValues values) {
            rows.add(values);
            min = Math.min(min, timestamp);
            max = Math.max(max, timestamp);
            int g = (int) (ordinal / columns.granuleRows());
            if (rows.size() == columns.rows(g)) {
                check(g);
            }
        }

        private void check(int g) {
            ColumnGroup stored = columns.group(g);
            if (!stored.paths().equals(paths.stream().map(ColumnPath::path).toList())) {
                throw new CorruptSegmentException(path, 0, "granule " + g + "'s columns are not the schema's");
            }
            byte[] expected = ColumnGroup.encode(paths, rows, SealedSegmentWriter.COLUMN_OPTIONS);
            MemorySegment actual = columns.groupBytes(g);
            if (actual.mismatch(MemorySegment.ofArray(expected)) != -1) {
                throw new CorruptSegmentException(
                        path,
                        actual.address() - data.address(),
                        "granule " + g + "'s columns do not match its records");
            }
            if (min != columns.minTimestamp(g) || max != columns.maxTimestamp(g)) {
                throw new CorruptSegmentException(path, 0, "granule " + g + "'s time range does not match its records");
            }
            rows.clear();
            min = Long.MAX_VALUE;
            max = Long.MIN_VALUE;
        }
    }

    /** MessagePack bytes before compression and payload bytes as stored, summed over all records. */
    public record PayloadStats(long rawBytes, long storedBytes) {
        public double ratio() {
            return storedBytes == 0 ? 1.0 : (double) rawBytes / storedBytes;
        }
    }

    /** Walks the record headers (not the payloads): O(documents). */
    public PayloadStats payloadStats() {
        acquire();
        try {
            long raw = 0;
            long stored = 0;
            for (long ordinal = 0; ordinal < footer.documents(); ordinal++) {
                long offset = checkedRecord(ordinal);
                raw += Integer.toUnsignedLong(RecordFrame.rawLength(data, offset));
                stored += RecordFrame.payloadLength(data, offset);
            }
            return new PayloadStats(raw, stored);
        } finally {
            refs.release();
        }
    }

    /** The id of the {@code ordinal}-th document (from the index; verify the index first). */
    public UUID documentId(long ordinal) {
        acquire();
        try {
            return idAt(ordinal);
        } finally {
            refs.release();
        }
    }

    /**
     * Checks header, footer, index checksum and (v2) the whole column index again, from the mapped bytes as they are now (open
     * checked them once; bit rot may have come since). For scrubbing, with {@link #verifyRecord}.
     *
     * @throws CorruptSegmentException when one of them fails: the segment is unusable
     */
    public void verifyStructure() {
        acquire();
        try {
            SegmentHeader.decode(data, path);
            if (columns == null) {
                SegmentFooter.decode(data, path, header.encodedLength());
            } else {
                // v2: the locator and granule table, and every column group and block, as a planner reads them.
                ColumnLocator locator = ColumnLocator.decode(data, path, header.encodedLength());
                SegmentFooter.decode(data, path, header.encodedLength(), locator.offset());
                ColumnIndex index = ColumnIndex.open(data, locator, footer.documents(), path);
                index.schema();
                for (int g = 0; g < index.granules(); g++) {
                    ColumnGroup group = index.group(g);
                    for (String column : group.paths()) {
                        group.column(ColumnPath.of(column));
                    }
                }
            }
            footer.verifyIndex(data, path);
        } finally {
            refs.release();
        }
    }

    /**
     * Checks the {@code ordinal}-th record end to end: checksum, fields, id against the index, and
     * that its payload decompresses. For scrubbing, one record at a time.
     *
     * @return the record's bytes in the file
     * @throws CorruptRecordException when the record is damaged
     */
    public long verifyRecord(long ordinal) {
        acquire();
        try {
            long offset = checkedRecord(ordinal);
            decode(ordinal, offset, new byte[RecordFrame.rawLength(data, offset)]);
            return RecordFrame.check(data, offset, footer.indexOffset());
        } finally {
            refs.release();
        }
    }

    /** Decompresses the {@code ordinal}-th record: a damaged payload is that record's damage. */
    void decode(long ordinal, long offset, byte[] target) {
        try {
            decompressor.decode(data, offset, target);
        } catch (CorruptSegmentException e) {
            CorruptRecordException damage = new CorruptRecordException(path, e.offset(), e.problem(), idAt(ordinal));
            damage.initCause(e);
            throw damage;
        }
    }

    private UUID idAt(long ordinal) {
        return new UUID(
                SegmentIndex.entryMsb(data, footer.indexOffset(), ordinal),
                SegmentIndex.entryLsb(data, footer.indexOffset(), ordinal));
    }

    private void acquire() {
        refs.acquire();
    }

    // For ParallelGranuleCursor, which holds a reference while it uses these.

    MemorySegment mapping() {
        return data;
    }

    PayloadDecompressor decompressor() {
        return decompressor;
    }

    long checkedRecordOffset(long ordinal) {
        return checkedRecord(ordinal);
    }

    void releaseReference() {
        refs.release();
    }

    /** Checks the index entry and its record; returns the record offset. */
    private long checkedRecord(long ordinal) {
        long offset = SegmentIndex.entryOffset(data, footer.indexOffset(), ordinal);
        if (offset < header.encodedLength() || offset >= footer.indexOffset()) {
            throw new CorruptSegmentException(
                    path,
                    footer.indexOffset() + ordinal * SegmentIndex.ENTRY_SIZE,
                    "index entry " + ordinal + " points outside the records");
        }
        long length = RecordFrame.check(data, offset, footer.indexOffset());
        if (length < 0) {
            throw new CorruptRecordException(path, offset, RecordFrame.describe(length), idAt(ordinal));
        }
        checkIdMatchesIndex(ordinal, offset);
        return offset;
    }

    private void checkIdMatchesIndex(long ordinal, long offset) {
        if (RecordFrame.idMsb(data, offset) != SegmentIndex.entryMsb(data, footer.indexOffset(), ordinal)
                || RecordFrame.idLsb(data, offset) != SegmentIndex.entryLsb(data, footer.indexOffset(), ordinal)) {
            throw new CorruptRecordException(
                    path, offset, "record id does not match index entry " + ordinal, idAt(ordinal));
        }
    }

    private void verifyIndexOnce() {
        if (!indexVerified) {
            footer.verifyIndex(data, path);
            indexVerified = true;
        }
    }

    /**
     * Use-after-close turned into the one domain exception (Lucene's approach): FFM throws
     * IllegalStateException when the arena is gone. Other IllegalStateExceptions are bugs and pass.
     */
    private RuntimeException closedOr(IllegalStateException e) {
        return arena.scope().isAlive() ? e : new SegmentClosedException(header.segmentId(), e);
    }

    private final class Cursor extends SegmentCursor {
        private final ScanSpec spec;
        private long next;
        private byte[] buffer = new byte[1024];
        /** v2: the granules planned on the column index; null for a v1 file. */
        private final GranuleWalk walk;

        Cursor(long start, ScanSpec spec) {
            super(header.segmentId());
            this.next = start;
            this.spec = spec;
            this.walk = columns == null ? null : new GranuleWalk(columns, spec, footer.documents());
        }

        @Override
        public boolean advance() {
            checkOpen();
            try {
                while (next < footer.documents()) {
                    if (walk != null) {
                        next = walk.candidate(next);
                        if (next >= footer.documents()) {
                            break;
                        }
                    }
                    long ordinal = next++;
                    long offset = checkedRecord(ordinal);
                    long timestamp = RecordFrame.timestamp(data, offset);
                    if (!spec.inRange(timestamp)) {
                        continue;
                    }
                    ByteBuffer candidate;
                    if (RecordFrame.isCompressed(data, offset)) {
                        int raw = RecordFrame.rawLength(data, offset);
                        if (buffer.length < raw) {
                            buffer = new byte[Math.max(raw, buffer.length * 2)];
                        }
                        decode(ordinal, offset, buffer);
                        candidate = ByteBuffer.wrap(buffer, 0, raw);
                    } else {
                        // Uncompressed: the filter reads MessagePack straight from the mapping.
                        candidate = data.asSlice(RecordFrame.payloadOffset(offset), RecordFrame.rawLength(data, offset))
                                .asByteBuffer();
                    }
                    boolean certainMatch = walk != null && walk.certainlyMatches(ordinal);
                    if (certainMatch || spec.filter().test(candidate.duplicate())) {
                        return found(
                                candidate,
                                new UUID(RecordFrame.idMsb(data, offset), RecordFrame.idLsb(data, offset)),
                                timestamp);
                    }
                }
                return end();
            } catch (IllegalStateException e) {
                throw closedOr(e);
            }
        }

        @Override
        protected void release() {
            refs.release();
        }
    }

    /** Starts closing: new reads fail, the mapping goes when the last reader leaves. Idempotent. */
    @Override
    public void close() {
        refs.close();
    }

    /**
     * Closes and runs {@code action} (e.g. deleting the renamed file) right after the unmap, on
     * the thread of the last reader to leave.
     */
    public void close(Runnable action) {
        this.afterUnmap = action;
        refs.close();
    }

    public boolean isClosing() {
        return refs.isClosing();
    }

    /** Readers inside right now (for tests and diagnostics). */
    public long readers() {
        return refs.readers();
    }

    /** Waits (bounded) until the mapping is gone; true when it is. */
    public boolean awaitUnmapped(Duration timeout) throws InterruptedException {
        return refs.awaitReleased(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void unmap() {
        arena.close();
        decompressor.close();
        afterUnmap.run();
    }
}
