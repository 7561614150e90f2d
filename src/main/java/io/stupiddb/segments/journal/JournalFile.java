package io.stupiddb.segments.journal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory facts about one journal file {@code journal-<firstSeq, 20 digits>.log}: which seqs it
 * holds, how many bytes are committed (written and forced), the newest event time, and a sparse
 * index (the offset of every {@value #INDEX_INTERVAL}th record) so a read can start near its seq.
 *
 * <p>Invariants: records hold {@code firstSeq..lastSeq} without gaps ({@code lastSeq = firstSeq - 1}
 * when empty); {@code committedBytes} ends on a record boundary.
 *
 * <p>Thread-safety: not thread-safe. It is changed only by the holder of the
 * {@link JournalAppender}'s append lock while holding the write side of the
 * {@link JournalFileList}'s lock, and read under the read side (or under the append lock).
 */
final class JournalFile {

    static final int INDEX_INTERVAL = 64;
    private static final Pattern NAME = Pattern.compile("journal-(\\d{20})\\.log");

    final Path path;
    final long firstSeq;
    /** Started after recovery cut the previous file's tail (its first seq skips one). */
    boolean afterCut;
    /** Recovery cut a damaged or torn record off this file's end. */
    boolean tailCut;

    private long lastSeq;
    private long committedBytes;
    private long newestAtMillis = Long.MIN_VALUE;
    private long[] sparseOffsets = new long[4];
    private int sparseCount;

    JournalFile(Path path, long firstSeq) {
        this.path = path;
        this.firstSeq = firstSeq;
        this.lastSeq = firstSeq - 1;
        this.committedBytes = JournalCodec.HEADER_BYTES;
    }

    static String fileName(long firstSeq) {
        return String.format("journal-%020d.log", firstSeq);
    }

    /** The first seq encoded in a journal file name, or empty for any other name. */
    static OptionalLong firstSeqOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            long seq = Long.parseLong(m.group(1));
            return seq >= 1 ? OptionalLong.of(seq) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // 20 digits above Long.MAX_VALUE
        }
    }

    /** Records that the record {@code seq} occupies {@code [offset, endOffset)} and is durable. */
    void committed(long seq, long offset, long endOffset, long atMillis) {
        if (seq != lastSeq + 1) {
            throw new IllegalStateException("seq " + seq + " does not follow " + lastSeq + " in " + path);
        }
        long index = seq - firstSeq;
        if (index % INDEX_INTERVAL == 0) {
            if (sparseCount == sparseOffsets.length) {
                sparseOffsets = Arrays.copyOf(sparseOffsets, sparseCount * 2);
            }
            sparseOffsets[sparseCount++] = offset;
        }
        lastSeq = seq;
        committedBytes = endOffset;
        newestAtMillis = Math.max(newestAtMillis, atMillis);
    }

    boolean isEmpty() {
        return lastSeq < firstSeq;
    }

    long lastSeq() {
        return lastSeq;
    }

    long committedBytes() {
        return committedBytes;
    }

    /** Newest {@code at} of any record, or {@link Long#MIN_VALUE} when empty. */
    long newestAtMillis() {
        return newestAtMillis;
    }

    /** The indexed seq at or before {@code seq} (which must be in this file) where a scan starts. */
    long scanStartSeq(long seq) {
        long slot = Math.min((seq - firstSeq) / INDEX_INTERVAL, sparseCount - 1);
        return firstSeq + slot * INDEX_INTERVAL;
    }

    /** File offset of the record {@link #scanStartSeq} returned for {@code seq}. */
    long scanStartOffset(long seq) {
        long slot = Math.min((seq - firstSeq) / INDEX_INTERVAL, sparseCount - 1);
        return sparseOffsets[(int) slot];
    }
}
