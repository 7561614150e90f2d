package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.Checksums;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.SegmentFooter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Builds the local index file of an archived segment: a sparse file as long as the object, that
 * holds only the object's <b>header</b> (with the zstd dictionary) at offset 0 and its <b>tail</b>
 * from the id index on (id index, format v2 column index and locator, footer), each at its own
 * offset; the record area between is a hole (no disk blocks). So the file can be mapped and read
 * with the format's own decoders at the object's offsets, and costs on disk only what was fetched.
 *
 * <p>From the bucket it takes two ranged GETs in the usual case: the first 64 KiB (the header;
 * more when its dictionary is larger) and the last {@code 64 KiB + 32 bytes × documents} (footer,
 * locator, column index, id index: the estimate covers them unless the column index is unusually
 * large, and then a third GET fetches the rest of the id index). An object whose two guesses
 * overlap is fetched whole in one GET, and kept whole (its reads need no further GET). The footer's CRC is checked before its index offset is
 * trusted; everything else is checked when the file is opened ({@link RemoteSegment#open}).
 *
 * <p>Stateless; each call writes its own file.
 */
final class IndexFile {
    static final int HEAD_GUESS = 64 * 1024;
    static final int TAIL_BASE = 64 * 1024;
    static final int TAIL_PER_DOCUMENT = 32;

    /**
     * Where the fetched parts lie in the object: {@code [0, headerLength)} and {@code [tailStart,
     * size)}, or all of it ({@code whole}: a small object, fetched in one GET).
     */
    record Extent(long headerLength, long tailStart, long size, boolean whole) {
        /** Bytes of the object the file holds (what the cache counts). */
        long bytes() {
            return whole ? size : headerLength + (size - tailStart);
        }
    }

    /** Something to read ranges of the object from: the bucket, or the local archive copy. */
    interface Source {
        byte[] read(long from, long to) throws IOException;
    }

    private IndexFile() {}

    /** Reads the header and tail of a {@code size}-byte object of {@code documents} records into {@code target}. */
    static Extent write(Source source, long size, long documents, Path target) throws IOException {
        long headGuess = Math.min(size, HEAD_GUESS);
        long tailGuess = Math.min(size, TAIL_BASE + TAIL_PER_DOCUMENT * Math.max(0, documents));
        if (headGuess + tailGuess >= size) {
            byte[] whole = exactly(source.read(0, size), size, target);
            long headerLength = headerLength(whole, size, target);
            long indexOffset = indexOffset(whole, 0, size, headerLength, target);
            writeSparse(target, size, whole, 0, whole.length, whole, whole.length);
            return new Extent(headerLength, indexOffset, size, true);
        }
        byte[] head = exactly(source.read(0, headGuess), headGuess, target);
        long headerLength = headerLength(head, size, target);
        if (headerLength > head.length) {
            byte[] more = exactly(source.read(head.length, headerLength), headerLength - head.length, target);
            head = concat(head, more);
        }
        long tailStart = size - tailGuess;
        byte[] tail = exactly(source.read(tailStart, size), tailGuess, target);
        long indexOffset = indexOffset(tail, tailStart, size, headerLength, target);
        if (indexOffset < tailStart) {
            byte[] rest = exactly(source.read(indexOffset, tailStart), tailStart - indexOffset, target);
            tail = concat(rest, tail);
            tailStart = indexOffset;
        }
        writeSparse(target, size, head, 0, (int) headerLength, tail, (int) (indexOffset - tailStart));
        return new Extent(headerLength, indexOffset, size, false);
    }

    /** A source over a local file (the archive copy that was just uploaded: no GET needed). */
    static Source of(Path file) {
        return (from, to) -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
                while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                    // until full or end of file
                }
                return Arrays.copyOf(buffer.array(), buffer.position());
            }
        };
    }

    /** The header's length from its fixed prefix: 23 + n (id) + 4 + d (dictionary) + 4 (CRC). */
    private static long headerLength(byte[] head, long size, Path path) {
        if (head.length < 27) {
            throw new CorruptSegmentException(path, 0, "object too short for a header");
        }
        int idLength = Byte.toUnsignedInt(head[22]);
        if (head.length < 27 + idLength) {
            throw new CorruptSegmentException(path, 22, "object too short for its header");
        }
        long dictionary =
                Integer.toUnsignedLong(ByteBuffer.wrap(head, 23 + idLength, 4).getInt());
        long length = 27L + idLength + dictionary + 4;
        if (dictionary > io.stupiddb.segments.format.SegmentHeader.MAX_DICTIONARY_LENGTH
                || length > size - SegmentFooter.SIZE) {
            throw new CorruptSegmentException(path, 23 + idLength, "header length " + length + " is impossible");
        }
        return length;
    }

    /** The id index's offset from the footer at the end of {@code tail}, after checking the footer's CRC. */
    private static long indexOffset(byte[] tail, long tailStart, long size, long headerLength, Path path) {
        int at = tail.length - SegmentFooter.SIZE;
        if (at < 0
                || !Arrays.equals(
                        tail,
                        tail.length - SegmentFooter.END_MAGIC.length,
                        tail.length,
                        SegmentFooter.END_MAGIC,
                        0,
                        8)) {
            throw new CorruptSegmentException(path, size - SegmentFooter.SIZE, "no footer (bad end magic)");
        }
        ByteBuffer footer = ByteBuffer.wrap(tail, at, SegmentFooter.SIZE);
        if (Checksums.crc32c(tail, at, 84) != footer.getInt(at + 84)) {
            throw new CorruptSegmentException(path, size - SegmentFooter.SIZE + 84, "footer checksum mismatch");
        }
        long indexOffset = footer.getLong(at);
        if (indexOffset < headerLength || indexOffset > size - SegmentFooter.SIZE) {
            throw new CorruptSegmentException(path, size - SegmentFooter.SIZE, "footer's index offset is impossible");
        }
        return indexOffset;
    }

    private static byte[] exactly(byte[] got, long expected, Path path) {
        if (got.length != expected) {
            throw new CorruptSegmentException(
                    path,
                    0,
                    "object is shorter than its recorded size (a range gave " + got.length + " of " + expected
                            + " bytes)");
        }
        return got;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** {@code head[0, headLength)} at 0, {@code tail[tailFrom, end)} at the end, a hole between, forced. */
    private static void writeSparse(
            Path target, long size, byte[] head, int headFrom, int headLength, byte[] tail, int tailFrom)
            throws IOException {
        Files.deleteIfExists(target);
        try (FileChannel channel = FileChannel.open(
                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
            writeFully(channel, ByteBuffer.wrap(head, headFrom, headLength), 0);
            int tailLength = tail.length - tailFrom;
            writeFully(channel, ByteBuffer.wrap(tail, tailFrom, tailLength), size - tailLength);
            channel.force(false);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }
}
