package io.stupiddb.segments.segment;

import java.util.concurrent.Executor;

/**
 * The threads a scan of format v2 segments or of the active segment may use besides its own:
 * chunks of rows are read, planned (v2), decompressed and filtered on {@code executor}, at most
 * {@code parallelism} chunks ahead of the reader, and the results handed back in id order
 * ({@link ParallelGranuleCursor}, {@link ParallelActiveCursor}).
 *
 * @param executor    runs the chunk tasks (the store's scan pool)
 * @param parallelism chunks in flight per scan; 1 scans on the caller's thread alone
 */
public record ScanWorkers(Executor executor, int parallelism) {
    /** Scans on the caller's thread. */
    public static final ScanWorkers NONE = new ScanWorkers(Runnable::run, 1);

    public ScanWorkers {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
    }
}
