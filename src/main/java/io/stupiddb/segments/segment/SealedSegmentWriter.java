package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Checksums;
import io.stupiddb.segments.format.ColumnLocator;
import io.stupiddb.segments.format.DictionarySampler;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.PayloadCompressor;
import io.stupiddb.segments.format.RecordFrame;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnOptions;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.ColumnSchema;
import io.stupiddb.segments.format.column.FieldDiscovery;
import io.stupiddb.segments.format.column.FieldValues;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * Writes a sealed segment file in format v2 (docs/FORMAT.md) from the documents of another sealed
 * segment, in id order: header, records (each compressed alone with the header's codec and
 * dictionary, so a get still reads one record), id index, column index (schema, a column group per
 * granule, granule table), column locator, footer; then fsyncs the file. Used by the background
 * compaction of freshly sealed v1 files and by the archiver.
 *
 * <p>Two passes over the source's mapping: the first samples up to {@link #SAMPLE} documents to
 * choose the columns (and, when asked, to train the zstd dictionary before any record is written);
 * the second writes. Memory is bounded by one granule of parsed field values plus the column
 * groups and id index of the segment (a few MB for 100 MB segments); records stream to the file.
 *
 * <p>Not thread-safe; one call writes one file. The target must not exist.
 */
public final class SealedSegmentWriter {
    /** Documents sampled for column discovery and dictionary training. */
    public static final int SAMPLE = 4096;
    /** Column groups are encoded with fixed options, so {@code verify} can re-encode and compare. */
    public static final ColumnOptions COLUMN_OPTIONS = ColumnOptions.DEFAULT;

    private static final int BUFFER = 1 << 20;

    private SealedSegmentWriter() {}

    /**
     * What was written.
     *
     * @param read      documents in the source
     * @param documents documents written; 0 means no file was written (nothing was kept)
     */
    public record Written(Path path, long bytes, long read, long documents, int columns) {}

    /**
     * Writes {@code source}'s documents to {@code target} in v2 form.
     *
     * @param header     the new file's header: codec, level and node of the result (its version is set to 2);
     *                   {@code dictionaryFor} may replace its dictionary
     * @param dictionaryFor given the sampled documents, the zstd dictionary to use (or null for none)
     */
    public static Written write(
            SealedSegment source,
            SegmentHeader header,
            ColumnSettings columns,
            Function<DictionarySampler, byte[]> dictionaryFor,
            Path target)
            throws IOException {
        return write(source, header, columns, dictionaryFor, target, id -> true);
    }

    /**
     * As {@link #write(SealedSegment, SegmentHeader, ColumnSettings, Function, Path)}, keeping only
     * the documents whose id {@code keep} accepts (e.g. not deleted). When it keeps none, no file is
     * written and {@link Written#documents()} is 0.
     */
    public static Written write(
            SealedSegment source,
            SegmentHeader header,
            ColumnSettings columns,
            Function<DictionarySampler, byte[]> dictionaryFor,
            Path target,
            Predicate<UUID> keep)
            throws IOException {
        long documents = source.footer().documents();
        if (documents == 0) {
            throw new IllegalArgumentException("nothing to compact in empty segment " + source.id());
        }
        long stride = Math.max(1, (documents + SAMPLE - 1) / SAMPLE);
        FieldDiscovery discovery = columns.discovery();
        DictionarySampler sampler = DictionarySampler.withDefaults(header.createdAtMillis());
        long ordinal = 0;
        long kept = 0;
        try (DocumentCursor cursor = source.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                if (!keep.test(cursor.id())) {
                    continue;
                }
                kept++;
                if (ordinal++ % stride == 0) {
                    ByteBuffer doc = cursor.source();
                    discovery.add(doc.duplicate());
                    byte[] copy = new byte[doc.remaining()];
                    doc.duplicate().get(copy);
                    sampler.offer(copy, copy.length);
                }
            }
        }
        if (kept == 0) {
            return new Written(target, 0, documents, 0, 0);
        }
        ColumnSchema schema = discovery.schema();
        byte[] dictionary =
                header.codec() == io.stupiddb.segments.format.Codec.ZSTD ? dictionaryFor.apply(sampler) : null;
        SegmentHeader v2 = SegmentHeader.create(
                        header.segmentId(),
                        header.createdAtMillis(),
                        header.codec(),
                        header.level(),
                        header.nodeId(),
                        dictionary)
                .withVersion(FormatVersion.V2);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                PayloadCompressor compressor = new PayloadCompressor(v2)) {
            Output out = new Output(channel);
            out.put(v2.encode());
            Body body = new Body(schema.paths(), columns.granuleRows(), kept);
            FieldValues.Reader columnValues = new FieldValues.Reader(FieldValues.wantedFor(schema.paths()));
            try (DocumentCursor cursor = source.scan(ScanSpec.ALL)) {
                byte[] raw = new byte[1024];
                while (cursor.advance()) {
                    if (!keep.test(cursor.id())) {
                        continue;
                    }
                    ByteBuffer doc = cursor.source();
                    int length = doc.remaining();
                    if (raw.length < length) {
                        raw = new byte[Math.max(length, raw.length * 2)];
                    }
                    doc.duplicate().get(raw, 0, length);
                    compressor.compress(raw, length);
                    ByteBuffer frame = out.frame(RecordFrame.OVERHEAD + compressor.outputLength());
                    UUID id = cursor.id();
                    body.record(id, cursor.timestamp(), out.position());
                    RecordFrame.write(
                            frame,
                            id.getMostSignificantBits(),
                            id.getLeastSignificantBits(),
                            cursor.timestamp(),
                            compressor.isCompressed(),
                            length,
                            compressor.output(),
                            compressor.outputLength());
                    body.row(columnValues.read(raw, 0, length));
                }
            }
            if (body.documents() != kept) {
                throw new IOException("source " + source.id() + " yielded " + body.documents()
                        + " documents to keep, the first pass " + kept);
            }
            body.finish(out, schema, source.footer().sealedAtMillis());
            out.flush();
            channel.force(true);
            return new Written(
                    target, channel.size(), documents, kept, schema.fields().size());
        }
    }

    /** The parts after the records, collected while they stream: index, granules, time range. */
    private static final class Body {
        private final List<ColumnPath> paths;
        private final int granuleRows;
        /** The records the body will hold (the first pass counted them). */
        private final long expectedDocuments;

        private final ByteBuffer index;
        /** The open granule's columns, fed a row as each record is written. */
        private ColumnGroup.Builder granule;

        private final List<byte[]> groups = new ArrayList<>();
        private final List<long[]> granuleRanges = new ArrayList<>();
        private long count;
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;
        private long granuleMin = Long.MAX_VALUE;
        private long granuleMax = Long.MIN_VALUE;
        private UUID first;
        private UUID last;

        Body(List<ColumnPath> paths, int granuleRows, long documents) {
            this.paths = paths;
            this.granuleRows = granuleRows;
            this.index = ByteBuffer.allocate(Math.toIntExact(documents * SegmentIndex.ENTRY_SIZE));
            this.expectedDocuments = documents;
            this.granule = nextGranule();
        }

        long documents() {
            return count;
        }

        void record(UUID id, long timestamp, long offset) {
            SegmentIndex.writeEntry(index, id.getMostSignificantBits(), id.getLeastSignificantBits(), offset);
            if (first == null) {
                first = id;
            }
            last = id;
            min = Math.min(min, timestamp);
            max = Math.max(max, timestamp);
            granuleMin = Math.min(granuleMin, timestamp);
            granuleMax = Math.max(granuleMax, timestamp);
            count++;
        }

        void row(FieldValues values) {
            granule.add(values);
            if (granule.rows() == granuleRows) {
                closeGranule();
            }
        }

        /** Columns sized for the next granule: full, or the rows left when fewer. */
        private ColumnGroup.Builder nextGranule() {
            return new ColumnGroup.Builder(paths, (int) Math.max(1, Math.min(granuleRows, expectedDocuments - count)));
        }

        private void closeGranule() {
            groups.add(granule.encode(COLUMN_OPTIONS));
            granuleRanges.add(new long[] {granule.rows(), granuleMin, granuleMax});
            granule = nextGranule();
            granuleMin = Long.MAX_VALUE;
            granuleMax = Long.MIN_VALUE;
        }

        void finish(Output out, ColumnSchema schema, long sealedAt) throws IOException {
            if (granule.rows() > 0) {
                closeGranule();
            }
            long indexOffset = out.position();
            byte[] indexBytes = index.array();
            out.put(indexBytes);
            long columnsOffset = out.position();
            out.put(schema.encode());
            ByteBuffer table = ByteBuffer.allocate(groups.size() * ColumnLocator.GRANULE_ENTRY);
            for (int g = 0; g < groups.size(); g++) {
                long[] range = granuleRanges.get(g);
                table.putLong(out.position())
                        .putInt(groups.get(g).length)
                        .putInt((int) range[0])
                        .putLong(range[1])
                        .putLong(range[2]);
                out.put(groups.get(g));
            }
            out.put(table.array());
            long columnsLength = out.position() - columnsOffset;
            out.put(new ColumnLocator(
                            columnsOffset,
                            columnsLength,
                            groups.size(),
                            granuleRows,
                            Checksums.crc32c(table.array(), 0, table.capacity()))
                    .encode());
            CRC32C indexCrc = new CRC32C();
            indexCrc.update(indexBytes);
            out.put(new SegmentFooter(indexOffset, indexBytes.length, count, min, max, first, last, sealedAt, (int)
                            indexCrc.getValue())
                    .encode());
        }
    }

    /** A buffered sequential writer over the channel that knows its file position. */
    private static final class Output {
        private final FileChannel channel;
        private ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        private long flushed;

        Output(FileChannel channel) {
            this.channel = channel;
        }

        long position() {
            return flushed + buffer.position();
        }

        void put(byte[] bytes) throws IOException {
            int at = 0;
            while (at < bytes.length) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int n = Math.min(buffer.remaining(), bytes.length - at);
                buffer.put(bytes, at, n);
                at += n;
            }
        }

        /** Room for {@code size} contiguous bytes at the current position. */
        ByteBuffer frame(int size) throws IOException {
            if (buffer.remaining() < size) {
                flush();
                if (buffer.capacity() < size) {
                    buffer = ByteBuffer.allocate(size);
                }
            }
            return buffer;
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                flushed += channel.write(buffer);
            }
            buffer.clear();
        }
    }
}
