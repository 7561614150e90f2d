package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.RecordFrame;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads records of an active file with positional reads into a reusable heap buffer, and checks
 * each: its checksum, and that it is the record the index says (an active file is not mapped: it
 * grows). A get reads its one record; a scan reads a window of {@link #SCAN_WINDOW} bytes at a time
 * and takes the records that follow from it (one system call for a few hundred records instead of
 * one each), never past the last record its view holds. Not thread-safe: one per reader (a get or
 * a cursor).
 */
final class ActiveRecordReader {
    /** Bytes a scan reads at once (at least the record asked for). */
    static final int SCAN_WINDOW = 256 * 1024;

    private static final byte[] NOTHING_READ = new byte[0];

    private final FileChannel channel;
    private final Path path;
    private final int window;
    /** Grown on the first read: a get allocates exactly its record, a scan its window. */
    private byte[] buffer = NOTHING_READ;
    /** The file offset of {@code buffer[0]}, or -1 before the first read. */
    private long bufferStart = -1;
    /** Bytes of the file in {@code buffer}. */
    private int buffered;

    private MemorySegment data;

    /** One record per read (a get). */
    ActiveRecordReader(FileChannel channel, Path path) {
        this(channel, path, 0);
    }

    /** Reads of at least {@code window} bytes (a scan; 0: one record per read). */
    ActiveRecordReader(FileChannel channel, Path path, int window) {
        this.channel = channel;
        this.path = path;
        this.window = window;
    }

    /**
     * Reads record {@code ordinal} of {@code view}; afterwards {@link #data()} holds it from offset 0.
     *
     * @throws CorruptSegmentException when the record fails its checks
     */
    void read(ActiveIndex.View view, int ordinal) throws IOException {
        int length = view.length(ordinal);
        long offset = view.offset(ordinal);
        if (bufferStart < 0 || offset < bufferStart || offset + length > bufferStart + buffered) {
            fill(view, offset, length);
        }
        data = MemorySegment.ofArray(buffer).asSlice(offset - bufferStart, length);
        long checked = RecordFrame.check(data, 0, length);
        if (checked != length
                || RecordFrame.idMsb(data, 0) != view.msb(ordinal)
                || RecordFrame.idLsb(data, 0) != view.lsb(ordinal)) {
            throw new CorruptSegmentException(
                    path, offset, checked < 0 ? RecordFrame.describe(checked) : "record does not match the index");
        }
    }

    /** Reads from {@code offset}: the record of {@code length} bytes and, for a scan, the view's records after it. */
    private void fill(ActiveIndex.View view, long offset, int length) throws IOException {
        int last = view.count() - 1;
        long viewEnd = view.offset(last) + view.length(last);
        int wanted = (int) Math.max(length, Math.min(window, viewEnd - offset));
        if (buffer.length < wanted) {
            buffer = new byte[Math.max(wanted, buffer.length * 2)];
        }
        bufferStart = -1; // until the read is whole
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, wanted);
        while (target.hasRemaining()) {
            if (channel.read(target, offset + target.position()) < 0) {
                if (target.position() >= length) {
                    break; // the record is whole; what the file does not have yet is not read
                }
                throw new CorruptSegmentException(path, offset, "file ends inside a record");
            }
        }
        bufferStart = offset;
        buffered = target.position();
    }

    /** The record last read, from offset 0; valid until the next {@link #read}. */
    MemorySegment data() {
        return data;
    }
}
