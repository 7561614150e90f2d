package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.RecordFrame;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads one record of an active file with a positional read into a reusable heap buffer, and
 * checks it: its checksum, and that it is the record the index says (an active file is not
 * mapped: it grows). Not thread-safe: one per reader (a get or a cursor).
 */
final class ActiveRecordReader {
    private final FileChannel channel;
    private final Path path;
    private byte[] buffer = new byte[512];
    private MemorySegment data;

    ActiveRecordReader(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /**
     * Reads record {@code ordinal} of {@code view}; afterwards {@link #data()} holds it from offset 0.
     *
     * @throws CorruptSegmentException when the record fails its checks
     */
    void read(ActiveIndex.View view, int ordinal) throws IOException {
        int length = view.lengths()[ordinal];
        long offset = view.offsets()[ordinal];
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            if (channel.read(target, offset + target.position()) < 0) {
                throw new CorruptSegmentException(path, offset, "file ends inside a record");
            }
        }
        data = MemorySegment.ofArray(buffer);
        long checked = RecordFrame.check(data, 0, length);
        if (checked != length
                || RecordFrame.idMsb(data, 0) != view.msb()[ordinal]
                || RecordFrame.idLsb(data, 0) != view.lsb()[ordinal]) {
            throw new CorruptSegmentException(
                    path, offset, checked < 0 ? RecordFrame.describe(checked) : "record does not match the index");
        }
    }

    /** The record last read, from offset 0; valid until the next {@link #read}. */
    MemorySegment data() {
        return data;
    }
}
