package io.stupiddb.segments.format;

import com.github.luben.zstd.ZstdDecompressCtx;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * One native zstd decompression context and the native buffer it decompresses mapped records
 * into, which the caller then copies to its array ({@link PayloadDecompressor#decode}).
 *
 * <p>Why not straight into the caller's Java array, as zstd-jni offers: in some JVMs, for the whole
 * life of the process, zstd decompressed into a Java array 2.5-3x slower than in others (in 9 of 13
 * starts of the service on the 2-core benchmark machine, 10 of 14 runs of a harness reading a
 * segment, 19 of 97 of a harness calling zstd-jni alone), whatever the array, offset, context,
 * dictionary, stack depth or CPU, while from native into native memory those same JVMs
 * decompressed at the fast speed; compression showed no such split. The cause was not found. The
 * copy out of the native buffer costs 1-11 % of a decompression in the fast JVMs. A source in a
 * Java array was as slow into native memory as into an array, so records read onto the heap (the
 * active segment's) are still decompressed straight into the caller's array (docs/BENCHMARKS.md,
 * round 7).
 *
 * <p>Not thread-safe: borrowed from {@link DecompressionContexts} by one reader at a time. The
 * buffer lives in a shared arena (a context may be borrowed by different threads over its life),
 * freed when it grows and when the context is closed.
 */
final class DecompressionContext implements AutoCloseable {
    /** Room for a typical record from the start; grows to the largest record met. */
    private static final long INITIAL = 16 * 1024;

    private final ZstdDecompressCtx zstd = new ZstdDecompressCtx();
    private Arena arena;
    private MemorySegment buffer;
    private ByteBuffer view;

    DecompressionContext() {
        allocate(INITIAL);
    }

    ZstdDecompressCtx zstd() {
        return zstd;
    }

    /** The native buffer, at least {@code bytes} long, as a direct ByteBuffer (position 0). */
    ByteBuffer output(int bytes) {
        if (buffer.byteSize() < bytes) {
            arena.close();
            allocate(Math.max(bytes, 2 * buffer.byteSize()));
        }
        return view;
    }

    /** Copies {@code length} decompressed bytes out of the native buffer into {@code target}. */
    void copyTo(byte[] target, int length) {
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, target, 0, length);
    }

    private void allocate(long bytes) {
        arena = Arena.ofShared();
        buffer = arena.allocate(bytes, 64);
        view = buffer.asByteBuffer();
    }

    /** Clears the referenced dictionary (the next segment may have none), keeps the buffer. */
    void reset() {
        zstd.reset();
    }

    @Override
    public void close() {
        zstd.close();
        arena.close();
    }
}
