package io.stupiddb.segments.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;

/**
 * Bit rot aimed at one document: a segment file holds each document id twice, in its record
 * (occurrence 0; the payload starts {@link #PAYLOAD} bytes after the id) and in its index entry
 * (occurrence 1, sealed files only). Writes in place, so a service that has the file mapped sees it.
 */
public final class SegmentDamage {
    /** From a record's id to its payload: id 16, timestamp 8, raw length 4 bytes. */
    public static final int PAYLOAD = 16 + 8 + 4;

    private SegmentDamage() {}

    /** Flips one bit {@code delta} bytes after the {@code occurrence}-th copy of {@code id} in {@code file}. */
    public static void flip(Path file, UUID id, int occurrence, int delta) throws IOException {
        byte[] content = Files.readAllBytes(file);
        int at = offset(content, id, occurrence) + delta;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) (content[at] ^ 0x10)}), at);
        }
    }

    /** The same on bytes in memory. */
    public static void flip(byte[] content, UUID id, int occurrence, int delta) {
        content[offset(content, id, occurrence) + delta] ^= 0x10;
    }

    /** Damages the payload of {@code id}'s record. */
    public static void damageRecord(Path file, UUID id) throws IOException {
        flip(file, id, 0, PAYLOAD + 1);
    }

    private static int offset(byte[] content, UUID id, int occurrence) {
        byte[] idBytes = ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
        int seen = 0;
        for (int i = 0; i + 16 <= content.length; i++) {
            if (Arrays.equals(content, i, i + 16, idBytes, 0, 16) && seen++ == occurrence) {
                return i;
            }
        }
        throw new AssertionError("copy " + occurrence + " of id " + id + " is not in the file");
    }
}
