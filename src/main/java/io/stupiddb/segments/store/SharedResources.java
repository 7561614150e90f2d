package io.stupiddb.segments.store;

import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.id.SegmentNumbers;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.ScanWorkers;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the stores of one data directory share, the retention classes' stores (SPEC §12) with the
 * default one: the lifecycle journal (so events span every class, in one sequence), the segment
 * numbers (segment ids unique across classes), the counters behind the metrics, the native zstd
 * contexts and the scan threads (one per core for the whole process, not per class).
 *
 * <p>Owned by the store that opened it, which closes it last ({@link #close}).
 *
 * @param journalRetention how long journal events are kept: the longest retention of any class
 */
record SharedResources(
        LifecycleJournal journal,
        StoreCounters counters,
        DecompressionContexts contexts,
        ExecutorService scanPool,
        ScanWorkers scanWorkers,
        SegmentNumbers numbers,
        Duration journalRetention) {

    static SharedResources create(LifecycleJournal journal, Duration journalRetention) {
        int cores = Runtime.getRuntime().availableProcessors();
        // Reads chunks of v2 and active segments for scans, one thread per core (ParallelGranuleCursor,
        // ParallelActiveCursor).
        ExecutorService scanPool = Executors.newFixedThreadPool(
                cores, Thread.ofPlatform().daemon().name("segment-scan-", 0).factory());
        return new SharedResources(
                journal,
                new StoreCounters(),
                DecompressionContexts.forThisMachine(),
                scanPool,
                new ScanWorkers(scanPool, cores),
                new SegmentNumbers(),
                journalRetention);
    }

    /** Stops the scan threads, closes the journal and the zstd contexts: after every store using them closed. */
    void close() throws IOException {
        scanPool.shutdown();
        try {
            journal.close();
        } finally {
            contexts.close();
        }
    }
}
