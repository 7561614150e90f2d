package io.stupiddb.segments.bench;

/**
 * How PeersBench times queries 2, 4 and 5, the same for every system: warm-up for at least 3 s
 * and 3 rounds (page cache and JIT: with 1 s this store's scan was still partly interpreted, 8x
 * slower), then 5 timed rounds, of which the best counts. Stateless.
 */
final class QueryTimer {
    private QueryTimer() {
    }

    /** One timed query: its best time and what its last round returned. */
    record Timed(long nanos, long[] result) {
    }

    /** A query of {@link QuerySet} against one peer. */
    interface Query {
        long[] run() throws Exception;
    }

    /** {best nanoseconds, first value of the last result} (e.g. matches), for report rows. */
    static long[] bestAndMatches(Query query) throws Exception {
        Timed timed = timed(query);
        return new long[] {timed.nanos(), timed.result()[0]};
    }

    static Timed timed(Query query) throws Exception {
        long[] result = null;
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        for (int round = 0; round < 3 || System.nanoTime() < warmEnd; round++) {
            result = query.run();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t = System.nanoTime();
            result = query.run();
            best = Math.min(best, System.nanoTime() - t);
        }
        return new Timed(best, result);
    }
}
