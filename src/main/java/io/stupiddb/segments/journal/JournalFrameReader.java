package io.stupiddb.segments.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads record frames ({@code u32 length | u32 crc32c | payload}) one after another from a range
 * of a journal file through a reusable buffer, never the whole file at once.
 *
 * <p>Thread-safety: not thread-safe; one reader per thread, over its own position in the channel
 * (positional reads only, so the channel itself may be shared).
 */
final class JournalFrameReader {

    /** Why a frame could not be read. */
    enum Problem {
        /** Fewer than 8 bytes before the end: a frame header cut short. */
        SHORT_HEADER,
        /** Length 0 or above {@link JournalCodec#MAX_PAYLOAD}. */
        BAD_LENGTH,
        /** The frame's length runs past the end. */
        SHORT_FRAME,
        /** The payload does not match its checksum. */
        CHECKSUM
    }

    /** A frame at {@code offset} is unreadable; {@code frameEnd} is where it claims to end (or -1). */
    static final class BadFrameException extends Exception {
        private static final long serialVersionUID = 1L;
        final long offset;
        final Problem problem;
        final long frameEnd;

        BadFrameException(long offset, Problem problem, long frameEnd, String message) {
            super(message, null, false, false);
            this.offset = offset;
            this.problem = problem;
            this.frameEnd = frameEnd;
        }
    }

    private final FileChannel channel;
    private final long end;
    private final ByteBuffer buffer = ByteBuffer.allocate(JournalCodec.FRAME_OVERHEAD + JournalCodec.MAX_PAYLOAD);
    /** File offset of {@code buffer} index 0. */
    private long bufferStart;
    /** File offset of the next frame. */
    private long offset;

    JournalFrameReader(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.end = end;
        this.offset = start;
        this.bufferStart = start;
        buffer.limit(0);
    }

    /** File offset of the next frame (after the last one returned). */
    long offset() {
        return offset;
    }

    /**
     * The next frame's payload (valid until the next call), or null at the end of the range.
     *
     * @throws BadFrameException when the bytes at {@link #offset()} are not a valid frame; the
     *                           reader does not advance
     */
    ByteBuffer next() throws IOException, BadFrameException {
        long remaining = end - offset;
        if (remaining == 0) {
            return null;
        }
        if (remaining < JournalCodec.FRAME_OVERHEAD) {
            throw new BadFrameException(
                    offset,
                    Problem.SHORT_HEADER,
                    -1,
                    "only " + remaining + " bytes left, a frame header needs " + JournalCodec.FRAME_OVERHEAD);
        }
        int at = fill(JournalCodec.FRAME_OVERHEAD);
        long length = Integer.toUnsignedLong(buffer.getInt(at));
        int expectedCrc = buffer.getInt(at + 4);
        if (length == 0 || length > JournalCodec.MAX_PAYLOAD) {
            throw new BadFrameException(
                    offset,
                    Problem.BAD_LENGTH,
                    -1,
                    "record length " + length + " is outside 1.." + JournalCodec.MAX_PAYLOAD);
        }
        long frameEnd = offset + JournalCodec.FRAME_OVERHEAD + length;
        if (frameEnd > end) {
            throw new BadFrameException(
                    offset,
                    Problem.SHORT_FRAME,
                    frameEnd,
                    "record of " + length + " bytes runs past the end of the file (" + end + ")");
        }
        at = fill(JournalCodec.FRAME_OVERHEAD + (int) length);
        ByteBuffer payload = buffer.slice(at + JournalCodec.FRAME_OVERHEAD, (int) length);
        int actualCrc = JournalCodec.crc(payload);
        if (actualCrc != expectedCrc) {
            throw new BadFrameException(
                    offset,
                    Problem.CHECKSUM,
                    frameEnd,
                    String.format("record checksum mismatch (stored %08x, computed %08x)", expectedCrc, actualCrc));
        }
        offset = frameEnd;
        return payload;
    }

    /**
     * The event in a frame's {@code payload}, which must be the record of {@code expectedSeq}: a
     * payload that passes its checksum but does not decode, or holds another seq, is corruption at
     * {@code offset} of {@code path}.
     */
    static LifecycleEvent decodeRecord(Path path, long offset, ByteBuffer payload, long expectedSeq)
            throws JournalCorruptedException {
        LifecycleEvent event;
        try {
            event = JournalCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            throw new JournalCorruptedException(
                    path, offset, "record passes its checksum but is not a valid event: " + e.getMessage());
        }
        if (event.seq() != expectedSeq) {
            throw new JournalCorruptedException(
                    path, offset, "record has seq " + event.seq() + ", expected " + expectedSeq);
        }
        return event;
    }

    /** Makes {@code n} bytes from {@link #offset} available in the buffer; returns their index. */
    private int fill(int n) throws IOException {
        int index = (int) (offset - bufferStart);
        if (index + n <= buffer.limit()) {
            return index;
        }
        // Move the bytes still needed to the front and read more behind them.
        buffer.position(index);
        buffer.compact();
        bufferStart = offset;
        long readFrom = bufferStart + buffer.position();
        while (buffer.position() < n) {
            int wanted = (int) Math.min(buffer.remaining(), end - readFrom);
            if (wanted <= 0) {
                throw new IOException("journal file shrank while being read (expected " + end + " bytes)");
            }
            ByteBuffer window = buffer.slice(buffer.position(), wanted);
            int read = channel.read(window, readFrom);
            if (read < 0) {
                throw new IOException("journal file shrank while being read (expected " + end + " bytes)");
            }
            buffer.position(buffer.position() + read);
            readFrom += read;
        }
        buffer.flip();
        return 0;
    }
}
