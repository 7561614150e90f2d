package io.stupiddb.segments.it.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Damage to a file as disks, file systems and people do it: one byte XORed with a random non-zero
 * mask, a whole 4 KiB page zeroed (page-aligned, as a lost write or a bad sector), or the file cut
 * short. Regions of a sealed segment come from its own layout (docs/FORMAT.md): header (with the
 * dictionary), records, index, footer.
 */
final class Damage {
    static final int PAGE = 4096;

    enum Kind {
        FLIP,
        ZERO_PAGE,
        TRUNCATE
    }

    enum Region {
        HEADER,
        RECORDS,
        INDEX,
        FOOTER
    }

    /** Byte ranges of a sealed segment file: [start, end). */
    record Layout(long size, long headerEnd, long indexOffset, long indexEnd) {
        long start(Region region) {
            return switch (region) {
                case HEADER -> 0;
                case RECORDS -> headerEnd;
                case INDEX -> indexOffset;
                case FOOTER -> size - 96;
            };
        }

        long end(Region region) {
            return switch (region) {
                case HEADER -> headerEnd;
                case RECORDS -> indexOffset;
                case INDEX -> indexEnd;
                case FOOTER -> size;
            };
        }
    }

    private Damage() {}

    static Layout layout(Path segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate(23 + 64 + 4);
            channel.read(head, 0);
            int idLength = head.get(22) & 0xFF;
            long dictionary = Integer.toUnsignedLong(head.getInt(23 + idLength));
            long headerEnd = 27L + idLength + dictionary + 4;
            ByteBuffer footer = ByteBuffer.allocate(96);
            channel.read(footer, size - 96);
            long indexOffset = footer.getLong(0);
            long indexLength = footer.getLong(8);
            return new Layout(size, headerEnd, indexOffset, indexOffset + indexLength);
        }
    }

    /**
     * Damages {@code region} of a sealed segment; returns what was done (for messages).
     */
    static String apply(Path segment, Kind kind, Region region, SplittableRandom random) throws IOException {
        Layout layout = layout(segment);
        long start = layout.start(region);
        long end = layout.end(region);
        if (end <= start) {
            throw new IllegalStateException(region + " of " + segment + " is empty: " + layout);
        }
        long at = start + random.nextLong(end - start);
        return apply(segment, kind, at, random) + " in the " + region.name().toLowerCase() + " [" + start + ", " + end
                + ")";
    }

    /** Damages any file at byte {@code at}. */
    static String apply(Path file, Kind kind, long at, SplittableRandom random) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            switch (kind) {
                case FLIP -> {
                    ByteBuffer one = ByteBuffer.allocate(1);
                    channel.read(one, at);
                    int mask = 1 + random.nextInt(255);
                    channel.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ mask)}), at);
                    channel.force(true);
                    return "flipped byte " + at + " with mask 0x" + Integer.toHexString(mask);
                }
                case ZERO_PAGE -> {
                    long page = at & ~(long) (PAGE - 1);
                    int length = (int) Math.min(PAGE, size - page);
                    ByteBuffer before = ByteBuffer.allocate(length);
                    channel.read(before, page);
                    boolean allZero = true;
                    for (int i = 0; i < length; i++) {
                        allZero &= before.get(i) == 0;
                    }
                    channel.write(ByteBuffer.allocate(length), page);
                    channel.force(true);
                    return "zeroed page [" + page + ", " + (page + length) + ")" + (allZero ? " (already zero!)" : "");
                }
                case TRUNCATE -> {
                    channel.truncate(at);
                    channel.force(true);
                    return "truncated to " + at + " of " + size + " bytes";
                }
                default -> throw new IllegalArgumentException(kind.toString());
            }
        }
    }
}
