package io.stupiddb.segments.format.column;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Parquet's split-block bloom filter (the same algorithm, sizes and salts as parquet-format's
 * BloomFilter.md), over the {@link XxHash64} of a string's UTF-8 bytes. The filter is B blocks of
 * 256 bits (eight u32 words); the hash's high 32 bits pick a block, its low 32 bits set one bit
 * in each of the block's eight words. One probe reads one 32-byte block: one cache line.
 *
 * <pre>
 * block i, at 32 × i:  word 0 | word 1 | ... | word 7      (each u32, big-endian like the rest of the format)
 * </pre>
 *
 * <p>Sizing: {@code bits = -8 × n / ln(1 - p^(1/8))} for n distinct values and false-positive
 * probability p, i.e. about 9.7 bits per value at p = 1%, rounded up to whole blocks; unlike
 * Parquet the block count is not rounded to a power of two (the block is picked by
 * multiply-shift, which needs none), so a block's bloom is not up to 2× larger than needed.
 *
 * <p>The builder is mutable and not thread-safe; {@link #mightContain(MemorySegment, long, int, long)}
 * is a stateless read of bytes on disk and allocates nothing.
 */
public final class SplitBlockBloom {

    /** Bytes per block. */
    public static final int BLOCK_BYTES = 32;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int[] SALT = {
        0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31
    };

    private final int[] words;

    private SplitBlockBloom(int blocks) {
        this.words = new int[blocks * 8];
    }

    /** A filter sized for {@code distinct} values at false-positive probability {@code fpp}. */
    public static SplitBlockBloom forValues(int distinct, double fpp) {
        return new SplitBlockBloom(blocksFor(distinct, fpp));
    }

    /** Blocks needed for {@code distinct} values at {@code fpp} (at least 1). */
    public static int blocksFor(int distinct, double fpp) {
        if (!(fpp > 0 && fpp < 1)) {
            throw new IllegalArgumentException("fpp must be in (0, 1): " + fpp);
        }
        double bits = -8.0 * Math.max(1, distinct) / Math.log(1 - Math.pow(fpp, 1.0 / 8));
        return (int) Math.max(1, Math.ceil(bits / 256));
    }

    public int blocks() {
        return words.length / 8;
    }

    public void add(long hash) {
        int block = blockIndex(hash, blocks());
        int key = (int) hash;
        for (int i = 0; i < 8; i++) {
            words[block * 8 + i] |= 1 << ((key * SALT[i]) >>> 27);
        }
    }

    public boolean mightContain(long hash) {
        int block = blockIndex(hash, blocks());
        int key = (int) hash;
        for (int i = 0; i < 8; i++) {
            if ((words[block * 8 + i] & (1 << ((key * SALT[i]) >>> 27))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes the {@code blocks() × 32} bytes at {@code out[offset]}. */
    void writeTo(byte[] out, int offset) {
        for (int i = 0; i < words.length; i++) {
            int w = words[i];
            int at = offset + 4 * i;
            out[at] = (byte) (w >>> 24);
            out[at + 1] = (byte) (w >>> 16);
            out[at + 2] = (byte) (w >>> 8);
            out[at + 3] = (byte) w;
        }
    }

    /** Probes a filter of {@code blocks} blocks stored at {@code data[offset]}. */
    public static boolean mightContain(MemorySegment data, long offset, int blocks, long hash) {
        long base = offset + (long) blockIndex(hash, blocks) * BLOCK_BYTES;
        int key = (int) hash;
        for (int i = 0; i < 8; i++) {
            if ((data.get(U32, base + 4L * i) & (1 << ((key * SALT[i]) >>> 27))) == 0) {
                return false;
            }
        }
        return true;
    }

    private static int blockIndex(long hash, int blocks) {
        // Multiply-shift: the high 32 hash bits, scaled to [0, blocks).
        return (int) (((hash >>> 32) * blocks) >>> 32);
    }
}
