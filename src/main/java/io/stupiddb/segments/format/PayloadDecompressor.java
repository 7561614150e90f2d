package io.stupiddb.segments.format;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Decompresses the payloads of one segment into the caller's buffer: from a mapped file through
 * the borrowed context's native buffer, from a heap buffer straight into the caller's
 * ({@link DecompressionContext} says why). Thread-safe: native contexts come from the store's
 * shared {@link DecompressionContexts}; the segment's dictionary is digested on the first
 * compressed read (not at open: start-up stays cheap, and untouched segments hold no native
 * dictionary).
 *
 * <p>{@link #close()} frees the digested dictionary (and the pool when this decompressor owns
 * it); the caller (the segment's reference count) guarantees that no read is in flight by then.
 */
public final class PayloadDecompressor implements AutoCloseable {
    private final Path path;
    private final SegmentHeader header;
    private final DecompressionContexts contexts;
    private final boolean ownsContexts;
    /** The segment's dictionary in the store's registry; null without one. */
    private final DictionaryRegistry.Lease dictionary;

    /** With the store's shared pool of contexts. */
    public PayloadDecompressor(SegmentHeader header, Path path, DecompressionContexts contexts) {
        this(header, path, contexts, false);
    }

    /** With a small pool of its own (tools and tests reading a single file). */
    public PayloadDecompressor(SegmentHeader header, Path path) {
        this(header, path, new DecompressionContexts(2), true);
    }

    private PayloadDecompressor(SegmentHeader header, Path path, DecompressionContexts contexts, boolean ownsContexts) {
        this.path = path;
        this.contexts = contexts;
        this.ownsContexts = ownsContexts;
        this.dictionary = header.hasDictionary() ? contexts.dictionaries().acquire(header) : null;
        this.header = dictionary == null ? header : header.withDictionary(dictionary.bytes());
    }

    /** The header, its dictionary array shared with the store's other segments that use it. */
    public SegmentHeader header() {
        return header;
    }

    /**
     * Writes the MessagePack bytes of the record at {@code recordOffset} (already checked) into
     * {@code target[0, rawLength)}; copies when the payload is stored raw.
     *
     * @return the raw length
     * @throws CorruptSegmentException when the zstd frame is damaged or has the wrong size
     */
    public int decode(MemorySegment data, long recordOffset, byte[] target) {
        int raw = RecordFrame.rawLength(data, recordOffset);
        int length = RecordFrame.payloadLength(data, recordOffset);
        long payload = RecordFrame.payloadOffset(recordOffset);
        if (target.length < raw) {
            throw new IllegalArgumentException("target holds " + target.length + " bytes, payload needs " + raw);
        }
        if (!RecordFrame.isCompressed(data, recordOffset)) {
            MemorySegment.copy(data, java.lang.foreign.ValueLayout.JAVA_BYTE, payload, target, 0, raw);
            return raw;
        }
        ZstdDictDecompress digested = dictionary == null ? null : dictionary.digested();
        DecompressionContext context = contexts.borrow();
        int produced;
        try {
            ZstdDecompressCtx zstd = context.zstd();
            if (digested != null) {
                zstd.loadDict(digested);
            }
            ByteBuffer source = data.asSlice(payload, length).asByteBuffer();
            if (source.isDirect()) {
                // a mapped file: into the context's native buffer, then copied (DecompressionContext says why)
                produced = zstd.decompressDirectByteBuffer(context.output(raw), 0, raw, source, 0, length);
                if (produced == raw) {
                    context.copyTo(target, raw);
                }
            } else {
                // a heap source (the active segment's reads): straight into the target; a native
                // buffer does not help when zstd reads a Java array (DecompressionContext)
                produced = zstd.decompressByteArray(
                        target, 0, raw, source.array(), source.arrayOffset() + source.position(), length);
            }
        } catch (ZstdException e) {
            throw new CorruptSegmentException(path, recordOffset, "damaged zstd frame: " + e.getMessage(), e);
        } finally {
            contexts.giveBack(context);
        }
        if (produced != raw) {
            throw new CorruptSegmentException(
                    path, recordOffset, "payload decompressed to " + produced + " bytes, record says " + raw);
        }
        return raw;
    }

    /** Convenience for callers that keep the bytes: a new array holding the MessagePack map. */
    public byte[] decode(MemorySegment data, long recordOffset) {
        byte[] target = new byte[RecordFrame.rawLength(data, recordOffset)];
        decode(data, recordOffset, target);
        return target;
    }

    @Override
    public void close() {
        if (dictionary != null) {
            dictionary.release();
        }
        if (ownsContexts) {
            contexts.close();
        }
    }
}
