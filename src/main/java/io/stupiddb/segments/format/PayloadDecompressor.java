package io.stupiddb.segments.format;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictDecompress;
import com.github.luben.zstd.ZstdException;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decompresses the payloads of one segment, straight from the mapped file into the caller's
 * buffer. Thread-safe: native zstd contexts are borrowed from a small bounded pool per segment
 * (a context is not thread-safe; creating one per read costs more than the read).
 *
 * <p>{@link #close()} frees the digested dictionary and pooled contexts; the caller (the
 * segment's reference count) guarantees that no read is in flight by then.
 */
public final class PayloadDecompressor implements AutoCloseable {
    private static final int MAX_IDLE_CONTEXTS = 4;

    private final Path path;
    private final ZstdDictDecompress dictionary;
    private final ConcurrentLinkedQueue<ZstdDecompressCtx> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public PayloadDecompressor(SegmentHeader header, Path path) {
        this.path = path;
        this.dictionary = header.hasDictionary() ? new ZstdDictDecompress(header.dictionary()) : null;
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
        ZstdDecompressCtx context = borrow();
        int produced;
        try {
            ByteBuffer source = data.asSlice(payload, length).asByteBuffer();
            if (source.isDirect()) {
                produced = context.decompressDirectByteBufferToByteArray(target, 0, raw, source, 0, length);
            } else {
                produced = context.decompressByteArray(target, 0, raw, source.array(),
                        source.arrayOffset() + source.position(), length);
            }
        } catch (ZstdException e) {
            throw new CorruptSegmentException(path, recordOffset, "damaged zstd frame: " + e.getMessage(), e);
        } finally {
            giveBack(context);
        }
        if (produced != raw) {
            throw new CorruptSegmentException(path, recordOffset,
                    "payload decompressed to " + produced + " bytes, record says " + raw);
        }
        return raw;
    }

    /** Convenience for callers that keep the bytes: a new array holding the MessagePack map. */
    public byte[] decode(MemorySegment data, long recordOffset) {
        byte[] target = new byte[RecordFrame.rawLength(data, recordOffset)];
        decode(data, recordOffset, target);
        return target;
    }

    private ZstdDecompressCtx borrow() {
        ZstdDecompressCtx context = idle.poll();
        if (context != null) {
            idleCount.decrementAndGet();
            return context;
        }
        context = new ZstdDecompressCtx();
        if (dictionary != null) {
            context.loadDict(dictionary);
        }
        return context;
    }

    private void giveBack(ZstdDecompressCtx context) {
        if (idleCount.incrementAndGet() <= MAX_IDLE_CONTEXTS) {
            idle.offer(context);
        } else {
            idleCount.decrementAndGet();
            context.close();
        }
    }

    @Override
    public void close() {
        ZstdDecompressCtx context;
        while ((context = idle.poll()) != null) {
            context.close();
        }
        if (dictionary != null) {
            dictionary.close();
        }
    }
}
