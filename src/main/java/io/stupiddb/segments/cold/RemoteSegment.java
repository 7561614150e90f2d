package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.PayloadDecompressor;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.RefCount;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentLayout;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One archived segment as this node reads it without downloading it: its index file
 * ({@link IndexFile}: header, id index, column index and footer, at the object's offsets, the
 * record area a hole) mapped read-only, and the object's records fetched by ranged GETs when a
 * read needs them: a get fetches exactly one record, a scan whole blocks ({@link RecordBlocks}).
 * A hot segment (one that served many gets) gets its record area filled into the file
 * ({@link #fillRecords}); from then on it is read like a sealed segment, without GETs.
 *
 * <p>Checks, in place of the SHA-256 of the whole object that a whole download allowed: at open
 * the header CRC, footer CRC and layout, and in v2 the column locator and granule table CRCs; on
 * first use the id index CRC; on every record fetched its own CRC32C (which covers its length),
 * flags, raw length, that its id is the index entry's, that it ends where the next begins, and
 * that its payload decompresses to the raw length. A damaged record raises
 * {@link CorruptRecordException} (that document only); damage to the rest raises
 * {@link CorruptSegmentException} (the segment is quarantined). Record bytes never reach a caller
 * unchecked.
 *
 * <p>Thread-safety: reads are lock-free and may run concurrently; each holds a reference
 * ({@link RefCount}) so that closing unmaps (and deletes the file) only after the last reader left.
 */
final class RemoteSegment {
    private final ColdSegment segment;
    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final SegmentHeader header;
    private final SegmentFooter footer;
    /** Format v2's column index; null for a v1 object. */
    private final ColumnIndex columns;
    /** Header, footer and column index together, for the id index lookups. */
    private final SegmentLayout layout;

    private final PayloadDecompressor decompressor;
    private final IndexFile.Source records;
    private final RefCount refs;
    /** Bytes of the object the file holds; grows once, when the records are filled in (under the cache's lock). */
    private volatile long cachedBytes;
    /** The record area is in the file too (a hot segment): reads are local from then on. */
    private volatile boolean whole;

    private final AtomicLong rangedGets = new AtomicLong();
    private final AtomicBoolean filling = new AtomicBoolean();
    private volatile boolean indexVerified;
    private volatile Runnable afterUnmap = () -> {};

    private RemoteSegment(
            ColdSegment segment,
            Path file,
            Arena arena,
            MemorySegment data,
            SegmentLayout layout,
            DecompressionContexts contexts,
            IndexFile.Source records,
            IndexFile.Extent extent) {
        this.segment = segment;
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.layout = layout;
        this.footer = layout.footer();
        this.columns = layout.columns();
        this.decompressor = contexts == null
                ? new PayloadDecompressor(layout.header(), file)
                : new PayloadDecompressor(layout.header(), file, contexts);
        this.header = decompressor.header();
        this.records = records;
        this.cachedBytes = extent.bytes();
        this.whole = extent.whole();
        this.refs = new RefCount(segment.id(), this::unmap);
    }

    /**
     * Maps the index file {@code file} of {@code segment} and checks what it holds.
     *
     * @param records     reads ranges of the object (ranged GETs)
     * @param extent  what of the object the file holds
     * @throws CorruptSegmentException when a check fails (quarantine the segment)
     */
    static RemoteSegment open(
            ColdSegment segment,
            Path file,
            DecompressionContexts contexts,
            IndexFile.Source records,
            IndexFile.Extent extent)
            throws IOException {
        Arena arena = Arena.ofShared();
        boolean success = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            SegmentLayout layout = SegmentLayout.decode(data, file);
            if (!layout.header().segmentId().equals(segment.id())) {
                throw new CorruptSegmentException(
                        file,
                        0,
                        "object " + segment.location() + " holds segment "
                                + layout.header().segmentId());
            }
            RemoteSegment remote = new RemoteSegment(segment, file, arena, data, layout, contexts, records, extent);
            success = true;
            return remote;
        } finally {
            if (!success) {
                arena.close();
            }
        }
    }

    String id() {
        return segment.id();
    }

    ColdSegment segment() {
        return segment;
    }

    Path file() {
        return file;
    }

    /** Bytes of the object held in the index file (what the cache counts). */
    long cachedBytes() {
        return cachedBytes;
    }

    /**
     * The document with this id: a lookup in the mapped id index, then one ranged GET of its record.
     *
     * @throws ArchiveUnavailableException when the GET does not succeed
     */
    Optional<StoredDocument> get(UUID id) {
        refs.acquire();
        try {
            verifyIndexOnce();
            long ordinal = layout.find(data, id);
            if (ordinal < 0) {
                return Optional.empty();
            }
            long start = recordStart(ordinal);
            MemorySegment record;
            long at;
            if (whole) {
                record = data;
                at = start;
            } else {
                record = MemorySegment.ofArray(fetch(start, recordEnd(ordinal)));
                at = 0;
                rangedGets.incrementAndGet();
            }
            int raw = checkRecord(ordinal, record, at, start);
            byte[] source = new byte[raw];
            decode(ordinal, record, at, start, source);
            return Optional.of(new StoredDocument(id, RecordFrame.timestamp(record, at), segment.id(), source));
        } catch (IllegalStateException e) {
            throw closedOr(e);
        } finally {
            refs.release();
        }
    }

    /**
     * A cursor over the documents matching {@code spec}, reading the records in blocks of about
     * {@code blockSize} bytes with one block read ahead on {@code readAhead}. Holds a reference
     * until closed.
     */
    DocumentCursor scan(ScanSpec spec, long blockSize, ExecutorService readAhead) {
        refs.acquire();
        try {
            verifyIndexOnce();
            long start = layout.scanStart(data, spec);
            return new ColdCursor(this, spec, start, new RecordBlocks(this, blockSize, readAhead));
        } catch (RuntimeException e) {
            refs.release();
            throw e instanceof IllegalStateException ise ? closedOr(ise) : e;
        }
    }

    // ---------------------------------------------------------- hot segments: the records filled in

    /** Whether the records are in the local file (reads need no GET). */
    boolean isWhole() {
        return whole;
    }

    /** Bytes of the record area: what filling the records in adds to the cache. */
    long recordBytes() {
        return footer.indexOffset() - header.encodedLength();
    }

    /** True once (until {@link #fillFailed}) when this segment has served {@code threshold} gets by ranged GETs. */
    boolean dueForFill(int threshold) {
        return !whole && rangedGets.get() >= threshold && filling.compareAndSet(false, true);
    }

    /**
     * Fetches the record area in blocks of {@code blockSize} bytes and writes it into the file at
     * its offsets, then forces it. The records are not used until {@link #filled} publishes them;
     * each is checked by its CRC on every read, as in a sealed segment.
     */
    void fillRecords(long blockSize) throws IOException {
        refs.acquire();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long end = footer.indexOffset();
            for (long from = header.encodedLength(); from < end; from += blockSize) {
                java.nio.ByteBuffer block = java.nio.ByteBuffer.wrap(fetch(from, Math.min(end, from + blockSize)));
                long at = from;
                while (block.hasRemaining()) {
                    at += channel.write(block, at);
                }
            }
            channel.force(false);
        } finally {
            refs.release();
        }
    }

    /** The records are in the file: reads are local from now on. Caller holds the cache's lock. */
    void filled() {
        cachedBytes += recordBytes();
        whole = true;
    }

    /** A fill that did not finish: may be tried again after as many gets. */
    void fillFailed() {
        rangedGets.set(0);
        filling.set(false);
    }

    // ---------------------------------------------------------- for ColdCursor and RecordBlocks

    /** The mapped file: with {@link #isWhole()}, every record at its offset. */
    MemorySegment mapping() {
        return data;
    }

    long documents() {
        return footer.documents();
    }

    Optional<ColumnIndex> columns() {
        return Optional.ofNullable(columns);
    }

    /** Where record {@code ordinal} starts in the object, from the (verified) id index. */
    long recordStart(long ordinal) {
        long offset = SegmentIndex.entryOffset(data, footer.indexOffset(), ordinal);
        if (offset < header.encodedLength() || offset >= footer.indexOffset()) {
            throw new CorruptSegmentException(
                    file,
                    footer.indexOffset() + ordinal * SegmentIndex.ENTRY_SIZE,
                    "index entry " + ordinal + " points outside the records");
        }
        return offset;
    }

    /** Where record {@code ordinal} ends: where the next starts, or the id index after the last. */
    long recordEnd(long ordinal) {
        long end = ordinal + 1 < footer.documents() ? recordStart(ordinal + 1) : footer.indexOffset();
        if (end <= recordStart(ordinal)) {
            throw new CorruptSegmentException(
                    file, footer.indexOffset() + ordinal * SegmentIndex.ENTRY_SIZE, "index offsets do not increase");
        }
        return end;
    }

    /** Bytes {@code [from, to)} of the object, in one ranged GET. */
    byte[] fetch(long from, long to) {
        try {
            byte[] bytes = records.read(from, to);
            if (bytes.length != to - from) {
                throw new CorruptSegmentException(
                        file,
                        from,
                        "object " + segment.location() + " is shorter than its index says (" + bytes.length + " of "
                                + (to - from) + " bytes at " + from + ")");
            }
            return bytes;
        } catch (ObjectStoreUnavailableException e) {
            throw new ArchiveUnavailableException(segment.id(), e);
        } catch (IOException e) {
            throw new ArchiveUnavailableException(segment.id(), new ObjectStoreUnavailableException(e.getMessage(), e));
        }
    }

    /**
     * Checks the record of {@code ordinal} at {@code at} in {@code bytes} (which hold the object's
     * bytes from {@code base - at} on) and returns its raw length.
     *
     * @throws CorruptRecordException when it is damaged
     */
    int checkRecord(long ordinal, MemorySegment bytes, long at, long fileOffset) {
        long expected = recordEnd(ordinal) - recordStart(ordinal);
        long length = RecordFrame.check(bytes, at, at + expected);
        if (length < 0) {
            throw new CorruptRecordException(file, fileOffset, RecordFrame.describe(length), idAt(ordinal));
        }
        if (length != expected) {
            throw new CorruptRecordException(
                    file, fileOffset, "record does not end where the next begins", idAt(ordinal));
        }
        if (RecordFrame.idMsb(bytes, at) != SegmentIndex.entryMsb(data, footer.indexOffset(), ordinal)
                || RecordFrame.idLsb(bytes, at) != SegmentIndex.entryLsb(data, footer.indexOffset(), ordinal)) {
            throw new CorruptRecordException(
                    file, fileOffset, "record id does not match index entry " + ordinal, idAt(ordinal));
        }
        return RecordFrame.rawLength(bytes, at);
    }

    /** Decompresses a checked record into {@code target}: a damaged payload is that record's damage. */
    void decode(long ordinal, MemorySegment bytes, long at, long fileOffset, byte[] target) {
        try {
            decompressor.decode(bytes, at, target);
        } catch (CorruptRecordException e) {
            throw e;
        } catch (CorruptSegmentException e) {
            CorruptRecordException damage = new CorruptRecordException(file, fileOffset, e.problem(), idAt(ordinal));
            damage.initCause(e);
            throw damage;
        }
    }

    UUID idAt(long ordinal) {
        return new UUID(
                SegmentIndex.entryMsb(data, footer.indexOffset(), ordinal),
                SegmentIndex.entryLsb(data, footer.indexOffset(), ordinal));
    }

    void release() {
        refs.release();
    }

    /** FFM's use-after-close turned into the domain exception, as {@code SealedSegment} does. */
    RuntimeException closedOr(IllegalStateException e) {
        return arena.scope().isAlive() ? e : new SegmentClosedException(segment.id(), e);
    }

    private void verifyIndexOnce() {
        if (!indexVerified) {
            footer.verifyIndex(data, file);
            indexVerified = true;
        }
    }

    // ---------------------------------------------------------- lifetime

    boolean isClosing() {
        return refs.isClosing();
    }

    /** Closes and runs {@code action} right after the unmap, on the thread of the last reader to leave. */
    void close(Runnable action) {
        this.afterUnmap = action;
        refs.close();
    }

    void close() {
        refs.close();
    }

    private void unmap() {
        arena.close();
        decompressor.close();
        afterUnmap.run();
    }
}
