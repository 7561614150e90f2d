package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.SegmentHeader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;

/**
 * Recovery of an active file left by a stopped process (SPEC §7, docs/FORMAT.md "Files"):
 * every record is verified from the header on ({@link ActiveFileScan}); the file is cut at the
 * first torn or bad record and continues as an {@link ActiveSegment} that can take appends or be
 * sealed. Intact records after a bad one mean damage, not a torn append: the caller is told
 * before they are cut ({@link DamageHandler}). {@link #check} answers the same question without
 * changing the file (segment-tool).
 *
 * <p>Thread-safety: one recovery per file, before the file is handed to anyone else.
 */
public final class ActiveSegmentRecovery {
    private ActiveSegmentRecovery() {}

    /**
     * What recovery of an active file found; {@code recordsCut} counts the intact records found
     * after the first bad one (0 for a torn append, the normal case).
     */
    public record Recovered(
            ActiveSegment segment, long records, long truncatedBytes, String stopReason, long recordsCut) {}

    /**
     * Told by recovery, before it cuts, that the part to be cut holds intact records: damage, not
     * a torn append. The file is still as found when this runs (the store keeps a copy).
     */
    @FunctionalInterface
    public interface DamageHandler {
        void damaged(Path file, long offset, String problem, long intactRecordsAfter) throws IOException;
    }

    /**
     * Reopens an active file left by a stopped process: verifies every record from the header on,
     * stops at the first torn or bad one (or one whose id does not increase), truncates the file
     * there and fsyncs. The result can take appends or be sealed. A partial or complete index and
     * footer from an interrupted seal are cut off the same way and written again by the seal.
     *
     * @throws CorruptSegmentException when the header itself is unreadable (quarantine the file)
     */
    public static Recovered recover(Path path, DurabilityMode durability, InstantSource clock) throws IOException {
        return recover(path, durability, clock, null, null);
    }

    /**
     * As {@link #recover(Path, DurabilityMode, InstantSource)}, reading with the store's shared
     * contexts, and calling {@code onDamage} (when not null) before cutting intact records.
     */
    public static Recovered recover(
            Path path,
            DurabilityMode durability,
            InstantSource clock,
            DecompressionContexts contexts,
            DamageHandler onDamage)
            throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        boolean success = false;
        try {
            long size = channel.size();
            SegmentHeader header;
            ActiveFileScan scan;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
                header = SegmentHeader.decode(data, path);
                scan = ActiveFileScan.scan(data, header.encodedLength());
            }
            long end = scan.end();
            long truncated = size - end;
            long recordsCut = scan.intactAfter().records();
            if (recordsCut > 0 && onDamage != null) {
                onDamage.damaged(path, end, scan.stopReason(), recordsCut);
            }
            if (truncated > 0) {
                channel.truncate(end);
                channel.force(true);
            }
            ActiveSegment segment = ActiveSegment.resume(path, header, channel, durability, clock, scan, contexts);
            success = true;
            return new Recovered(
                    segment,
                    scan.index().count(),
                    truncated,
                    scan.stopReason() == null ? "end of file" : scan.stopReason(),
                    recordsCut);
        } finally {
            if (!success) {
                channel.close();
            }
        }
    }

    /** What a read-only check of an active file found (see {@link #check(Path)}). */
    public record ActiveFileReport(
            SegmentHeader header,
            long records,
            long validBytes,
            long tailBytes,
            String stopReason,
            Long minTimestamp,
            Long maxTimestamp,
            long intactRecordsAfterStop) {}

    /**
     * Checks an active file without changing it: what recovery would keep and cut.
     *
     * @throws CorruptSegmentException when the header is unreadable
     */
    public static ActiveFileReport check(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                Arena arena = Arena.ofConfined()) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            SegmentHeader header = SegmentHeader.decode(data, path);
            ActiveFileScan scan = ActiveFileScan.scan(data, header.encodedLength());
            boolean empty = scan.index().count() == 0;
            return new ActiveFileReport(
                    header,
                    scan.index().count(),
                    scan.end(),
                    scan.tailBytes(data.byteSize()),
                    scan.stopReason(),
                    empty ? null : scan.minTimestamp(),
                    empty ? null : scan.maxTimestamp(),
                    scan.intactAfter().records());
        }
    }
}
