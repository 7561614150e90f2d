package io.stupiddb.segments.format.column;

import io.stupiddb.segments.format.Checksums;
import io.stupiddb.segments.format.ColumnLocator;
import io.stupiddb.segments.format.CorruptSegmentException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The column index of a format v2 segment (docs/FORMAT.md, "Column index"), read in place from
 * the mapped file: the {@link ColumnSchema}, one {@link ColumnGroup} per granule of
 * {@link ColumnLocator#granuleRows()} consecutive records, and the granule table that gives each
 * granule's group, row count and time range.
 *
 * <pre>
 * column index:  schema | column group 0 | ... | column group G-1 | granule table (G × 32)
 * granule entry: i64 group offset (absolute), u32 group length, u32 rows, i64 min timestamp, i64 max timestamp
 * </pre>
 *
 * <p>Checks: {@link #open} verifies the granule table's CRC32C and that every entry fits in the
 * column index, the rows add up to the segment's documents and each granule but the last is full;
 * a column group is verified when {@link #group} opens it. Failures raise
 * {@link CorruptSegmentException}.
 *
 * <p>Thread-safety: immutable; shareable while the file stays mapped.
 */
public final class ColumnIndex {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment data;
    private final ColumnLocator locator;
    private final Path file;
    private final long table;

    private ColumnIndex(MemorySegment data, ColumnLocator locator, Path file) {
        this.data = data;
        this.locator = locator;
        this.file = file;
        this.table = locator.tableOffset();
    }

    /**
     * Opens the column index {@code locator} points at, for a segment of {@code documents} records.
     *
     * @throws CorruptSegmentException when the granule table fails a check
     */
    public static ColumnIndex open(MemorySegment data, ColumnLocator locator, long documents, Path file) {
        ColumnIndex index = new ColumnIndex(data, locator, file);
        index.check(documents);
        return index;
    }

    private void check(long documents) {
        long tableLength = (long) locator.granules() * ColumnLocator.GRANULE_ENTRY;
        if (Checksums.crc32c(data, table, tableLength) != locator.tableCrc()) {
            throw new CorruptSegmentException(file, table, "granule table checksum mismatch");
        }
        long expectedGranules = (documents + locator.granuleRows() - 1) / locator.granuleRows();
        if (expectedGranules != locator.granules()) {
            throw new CorruptSegmentException(
                    file, table, locator.granules() + " granules for " + documents + " documents");
        }
        long rows = 0;
        for (int g = 0; g < locator.granules(); g++) {
            long at = entry(g);
            long groupAt = data.get(I64, at);
            long groupLength = Integer.toUnsignedLong(data.get(U32, at + 8));
            int granuleRows = rows(g);
            if (groupAt < locator.offset() || groupLength < 1 || groupAt + groupLength > table) {
                throw new CorruptSegmentException(file, at, "granule " + g + "'s column group lies outside the index");
            }
            boolean last = g == locator.granules() - 1;
            if (granuleRows < 1
                    || granuleRows > locator.granuleRows()
                    || (!last && granuleRows != locator.granuleRows())
                    || minTimestamp(g) > maxTimestamp(g)) {
                throw new CorruptSegmentException(file, at, "granule " + g + " entry is inconsistent");
            }
            rows += granuleRows;
        }
        if (rows != documents) {
            throw new CorruptSegmentException(file, table, "granules hold " + rows + " rows, the footer " + documents);
        }
    }

    public int granules() {
        return locator.granules();
    }

    /** Rows per granule (the last granule may have fewer). */
    public int granuleRows() {
        return locator.granuleRows();
    }

    /** Rows of granule {@code g}. */
    public int rows(int g) {
        return data.get(U32, entry(g) + 12);
    }

    /** Ordinal of granule {@code g}'s first record. */
    public long firstOrdinal(int g) {
        return (long) g * locator.granuleRows();
    }

    public long minTimestamp(int g) {
        return data.get(I64, entry(g) + 16);
    }

    public long maxTimestamp(int g) {
        return data.get(I64, entry(g) + 24);
    }

    /** Verifies the directory of granule {@code g}'s column group and opens it. */
    public ColumnGroup group(int g) {
        long at = data.get(I64, entry(g));
        ColumnGroup group = ColumnGroup.read(data, at, file);
        if (group.rows() != rows(g) || group.byteSize() != Integer.toUnsignedLong(data.get(U32, entry(g) + 8))) {
            throw new CorruptSegmentException(file, at, "granule " + g + "'s column group does not match its entry");
        }
        return group;
    }

    /** The bytes of granule {@code g}'s column group as stored (for verification). */
    public MemorySegment groupBytes(int g) {
        return data.asSlice(data.get(I64, entry(g)), Integer.toUnsignedLong(data.get(U32, entry(g) + 8)));
    }

    /** The schema at the start of the column index: which paths are columns and why. */
    public ColumnSchema schema() {
        return ColumnSchema.read(data, locator.offset(), file);
    }

    private long entry(int g) {
        return table + (long) g * ColumnLocator.GRANULE_ENTRY;
    }
}
