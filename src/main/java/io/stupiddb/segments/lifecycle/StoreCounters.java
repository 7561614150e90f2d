package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.journal.EvictionReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Monotonic counters of what the store did since it was opened (metrics read them). Thread-safe. */
public final class StoreCounters {
    private final AtomicLong documentsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong corruptSegments = new AtomicLong();
    private final AtomicLong damagedRecords = new AtomicLong();
    private final Map<RotationReason, AtomicLong> rotations = new EnumMap<>(RotationReason.class);
    private final Map<EvictionReason, AtomicLong> evictions = new EnumMap<>(EvictionReason.class);

    public StoreCounters() {
        for (RotationReason reason : RotationReason.values()) {
            rotations.put(reason, new AtomicLong());
        }
        for (EvictionReason reason : EvictionReason.values()) {
            evictions.put(reason, new AtomicLong());
        }
    }

    public void written(long documents, long bytes) {
        documentsWritten.addAndGet(documents);
        bytesWritten.addAndGet(bytes);
    }

    public void rotated(RotationReason reason) {
        rotations.get(reason).incrementAndGet();
    }

    public void evicted(EvictionReason reason) {
        evictions.get(reason).incrementAndGet();
    }

    public void corrupt() {
        corruptSegments.incrementAndGet();
    }

    /** Records found damaged (their documents unreadable) while the rest of their segment stays in service. */
    public void damagedRecords(long records) {
        damagedRecords.addAndGet(records);
    }

    public long damagedRecords() {
        return damagedRecords.get();
    }

    public long documentsWritten() {
        return documentsWritten.get();
    }

    /** MessagePack bytes of the documents written (before compression). */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    public long corruptSegments() {
        return corruptSegments.get();
    }

    public long rotations(RotationReason reason) {
        return rotations.get(reason).get();
    }

    public long evictions(EvictionReason reason) {
        return evictions.get(reason).get();
    }
}
