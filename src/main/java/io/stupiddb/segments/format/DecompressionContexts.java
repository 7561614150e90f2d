package io.stupiddb.segments.format;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of native zstd decompression contexts ({@link DecompressionContext}: the zstd
 * context and its native output buffer) shared by all segments of a store: a context is not
 * thread-safe and costs more to create than a read, but one per segment would hold native memory
 * for every mapped file. A borrowed context gets the segment's digested dictionary referenced
 * (cheap) and is reset, dictionary cleared, when given back. Thread-safe.
 */
public final class DecompressionContexts implements AutoCloseable {
    private final int maxIdle;
    private final DictionaryRegistry dictionaries = new DictionaryRegistry();
    private final ConcurrentLinkedQueue<DecompressionContext> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public DecompressionContexts(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** Sized for the machine: as many idle contexts as reader threads can use at once. */
    public static DecompressionContexts forThisMachine() {
        return new DecompressionContexts(2 * Runtime.getRuntime().availableProcessors());
    }

    /** The store's shared dictionaries (one copy per distinct dictionary). */
    public DictionaryRegistry dictionaries() {
        return dictionaries;
    }

    DecompressionContext borrow() {
        DecompressionContext context = idle.poll();
        if (context != null) {
            idleCount.decrementAndGet();
            return context;
        }
        return new DecompressionContext();
    }

    void giveBack(DecompressionContext context) {
        context.reset(); // clears the referenced dictionary: the next segment may have none
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(context);
        } else {
            idleCount.decrementAndGet();
            context.close();
        }
    }

    @Override
    public void close() {
        DecompressionContext context;
        while ((context = idle.poll()) != null) {
            context.close();
        }
    }
}
