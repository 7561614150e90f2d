package io.stupiddb.segments.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;

/**
 * Compresses record payloads for one segment writer: each payload becomes its own zstd frame,
 * using the segment's dictionary when it has one, so a get still touches one record. A payload
 * that does not shrink is stored raw (flag bit clear).
 *
 * <p>Not thread-safe: owned by the single writer of the active segment. {@link #close()} frees
 * the native context.
 */
public final class PayloadCompressor implements AutoCloseable {
    private final ZstdCompressCtx context;
    private final ZstdDictCompress dictionary;
    /** Compressed bytes land here; never the caller's array. */
    private byte[] scratch = new byte[0];

    private byte[] output = scratch;
    private int outputLength;
    private boolean compressed;

    public PayloadCompressor(SegmentHeader header) {
        if (header.codec() == Codec.ZSTD) {
            context = new ZstdCompressCtx()
                    .setLevel(header.level())
                    .setChecksum(false)
                    .setContentSize(true)
                    .setDictID(false);
            dictionary = header.hasDictionary() ? new ZstdDictCompress(header.dictionary(), header.level()) : null;
            if (dictionary != null) {
                context.loadDict(dictionary);
            }
        } else {
            context = null;
            dictionary = null;
        }
    }

    /**
     * Compresses {@code raw[0, length)}; the result is in {@link #output()} up to
     * {@link #outputLength()} until the next call.
     */
    public void compress(byte[] raw, int length) {
        if (context == null) {
            output = raw;
            outputLength = length;
            compressed = false;
            return;
        }
        int bound = (int) Zstd.compressBound(length);
        if (scratch.length < bound) {
            scratch = new byte[Math.max(bound, 1024)];
        }
        int size = context.compressByteArray(scratch, 0, scratch.length, raw, 0, length);
        if (size >= length) {
            output = raw;
            outputLength = length;
            compressed = false;
        } else {
            output = scratch;
            outputLength = size;
            compressed = true;
        }
    }

    public byte[] output() {
        return output;
    }

    public int outputLength() {
        return outputLength;
    }

    public boolean isCompressed() {
        return compressed;
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
        }
        if (dictionary != null) {
            dictionary.close();
        }
    }
}
