package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.ColumnLocator;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DictionaryRegistry;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.SegmentFooter;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.SegmentIndex;
import io.stupiddb.segments.format.column.ColumnIndex;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * What locates the records of a sealed segment file mapped at {@code data}: its header, footer
 * and, in format v2, its column index, decoded and checked (docs/FORMAT.md: header CRC, footer
 * CRC and layout, column locator and granule table CRCs), and the lookups in its id index. Shared
 * by {@link SealedSegment} (a local file) and the cold tier's reader of an archived object (an
 * index file at the object's offsets), so both check and search exactly alike.
 *
 * <p>Immutable; the column index reads {@code data}, so use it while the mapping is open.
 *
 * @param columns format v2's column index; null for a v1 file
 */
public record SegmentLayout(SegmentHeader header, SegmentFooter footer, ColumnIndex columns) {

    /**
     * Decodes and checks header, (v2) column locator, footer and (v2) granule table.
     *
     * @throws CorruptSegmentException when one fails its checks
     */
    public static SegmentLayout decode(MemorySegment data, Path path) {
        return decode(data, path, null);
    }

    /**
     * As {@link #decode(MemorySegment, Path)}, the header's dictionary shared with
     * {@code dictionaries} when they hold it ({@link SegmentHeader#decode(MemorySegment, Path,
     * DictionaryRegistry)}); null: copied.
     */
    public static SegmentLayout decode(MemorySegment data, Path path, DictionaryRegistry dictionaries) {
        SegmentHeader header = SegmentHeader.decode(data, path, dictionaries);
        long indexEnd = data.byteSize() - SegmentFooter.SIZE;
        ColumnLocator locator = null;
        if (header.version() >= FormatVersion.V2) {
            locator = ColumnLocator.decode(data, path, header.encodedLength());
            indexEnd = locator.offset();
        }
        SegmentFooter footer = SegmentFooter.decode(data, path, header.encodedLength(), indexEnd);
        ColumnIndex columns = locator == null ? null : ColumnIndex.open(data, locator, footer.documents(), path);
        return new SegmentLayout(header, footer, columns);
    }

    public Optional<ColumnIndex> columnIndex() {
        return Optional.ofNullable(columns);
    }

    /** The ordinal of the document with this id in the id index (verify the index first), or -1. */
    public long find(MemorySegment data, UUID id) {
        return SegmentIndex.find(
                data,
                footer.indexOffset(),
                footer.documents(),
                id.getMostSignificantBits(),
                id.getLeastSignificantBits());
    }

    /**
     * The ordinal a scan starts at: the first after {@code spec.afterId()} (0 without one), or
     * the end when the segment's time range misses the scan's.
     */
    public long scanStart(MemorySegment data, ScanSpec spec) {
        long count = footer.documents();
        if (!spec.overlaps(footer.minTimestamp(), footer.maxTimestamp())) {
            return count;
        }
        return spec.afterId() == null
                ? 0
                : SegmentIndex.lowerBound(
                        data,
                        footer.indexOffset(),
                        count,
                        spec.afterId().getMostSignificantBits(),
                        spec.afterId().getLeastSignificantBits(),
                        false);
    }
}
