package io.stupiddb.segments.bench;

import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The closed loop of {@link WireBench} for what wrk and pgbench cannot drive (the engine called
 * in-process, PostgreSQL's COPY over JDBC): {@code clients} threads, each calling as fast as it can
 * for a warm-up and then for the measured window, every call's latency recorded. Like wrk with
 * {@code -c clients}: a client waits for its answer before the next call; its percentiles are
 * counted as wrk counts its own ({@link WireTools.Load}). Thread-safe: one run
 * per call, its threads its own.
 */
final class ClosedLoop {
    /** One call of a client; {@code client} numbers the thread (0..clients-1), {@code call} counts its calls. */
    interface Call {
        void run(int client, long call) throws Exception;
    }

    private ClosedLoop() {
    }

    /** Runs {@code call} on {@code clients} threads for {@code warmUp}, then measures {@code window}. */
    static WireTools.Load run(int clients, Duration warmUp, Duration window, Call call) throws Exception {
        Recorder recorder = new Recorder(3);
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + window.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (long n = 0; ; n++) {
                        long t = System.nanoTime();
                        if (t >= end) {
                            return null;
                        }
                        call.run(client, n);
                        long after = System.nanoTime();
                        if (t >= measureFrom && after <= end) {
                            recorder.recordValue((after - t) / 1_000);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return WireTools.Load.of(recorder.getIntervalHistogram(), clients, window.toNanos() / 1e9);
    }
}
