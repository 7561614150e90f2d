package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.Checksums;
import io.stupiddb.segments.format.DurableFiles;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The second durable record of the journal's newest seq ({@code journal/high-water}): without it
 * a journal cut exactly at a record boundary, or whose last record is damaged at rest, looks
 * like a clean end or a torn append, and the events lost would go unnoticed.
 *
 * <p>Written after each journal append is forced, so it never runs ahead of the journal: on
 * recovery, a journal ending before the high-water seq lost acknowledged events (it refuses to
 * open), and a journal ending one seq after it crashed between the two forces (fine).
 *
 * <pre>
 * file:  slot 0 (16 bytes) | slot 1 (16 bytes)
 * slot:  "SDHW" | u64 seq (big-endian) | u32 crc32c(first 12 bytes)
 * </pre>
 * Writes alternate between the two slots, each overwritten in place and forced, so a torn write
 * spoils only the slot being written and the other still holds an earlier seq: the value read
 * back is a lower bound of the last acknowledged seq, never above it. Not thread-safe: the
 * journal calls it under its append lock.
 */
final class JournalHighWater implements Closeable {
    static final String FILE_NAME = "high-water";
    static final int SLOT_BYTES = 16;
    private static final int MAGIC = 0x53444857; // "SDHW"

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.BIG_ENDIAN);
    private int nextSlot;

    private JournalHighWater(Path path, FileChannel channel, int nextSlot) {
        this.path = path;
        this.channel = channel;
        this.nextSlot = nextSlot;
    }

    /**
     * The seq recorded in {@code dir}, empty when there is no high-water file (a journal written
     * before it existed, or a new one).
     *
     * @throws JournalCorruptedException when the file exists but neither slot is intact
     */
    static OptionalLong read(Path dir) throws IOException {
        Path path = dir.resolve(FILE_NAME);
        if (!Files.exists(path)) {
            return OptionalLong.empty();
        }
        byte[] bytes = Files.readAllBytes(path);
        long best = -1;
        for (int i = 0; i < 2; i++) {
            best = Math.max(best, decode(bytes, i * SLOT_BYTES));
        }
        if (best < 0) {
            throw new JournalCorruptedException(
                    path, 0, "neither slot of the high-water file is intact (" + bytes.length + " bytes)");
        }
        return OptionalLong.of(best);
    }

    /** The slot's seq, or -1 when the slot is missing or damaged. */
    private static long decode(byte[] bytes, int offset) {
        if (bytes.length < offset + SLOT_BYTES) {
            return -1;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, SLOT_BYTES).order(ByteOrder.BIG_ENDIAN);
        int magic = buffer.getInt();
        long seq = buffer.getLong();
        int crc = buffer.getInt();
        if (magic != MAGIC || seq < 0 || crc != Checksums.crc32c(bytes, offset, SLOT_BYTES - 4)) {
            return -1;
        }
        return seq;
    }

    /**
     * Opens the high-water file of {@code dir} for writing, creating it with {@code seq} in both
     * slots when missing (the caller forces the directory).
     */
    static JournalHighWater open(Path dir, long seq) throws IOException {
        Path path = dir.resolve(FILE_NAME);
        boolean created = !Files.exists(path);
        FileChannel channel =
                FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        JournalHighWater highWater = new JournalHighWater(path, channel, 0);
        try {
            if (created || channel.size() != 2L * SLOT_BYTES) {
                highWater.writeSlot(0, seq);
                highWater.writeSlot(1, seq);
                channel.truncate(2L * SLOT_BYTES);
                channel.force(true);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return highWater;
    }

    /** Records {@code seq} durably (one write, one force) before returning. */
    void record(long seq) throws IOException {
        writeSlot(nextSlot, seq);
        channel.force(false);
        nextSlot ^= 1;
    }

    private void writeSlot(int index, long seq) throws IOException {
        slot.clear();
        slot.putInt(MAGIC).putLong(seq);
        slot.putInt(Checksums.crc32c(slot.array(), 0, SLOT_BYTES - 4));
        slot.flip();
        DurableFiles.writeFully(channel, slot, (long) index * SLOT_BYTES);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
