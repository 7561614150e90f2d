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
        return selfTimed(() -> {
            long t = System.nanoTime();
            long[] result = query.run();
            long nanos = System.nanoTime() - t;
            long[] timed = new long[result.length + 1];
            timed[0] = nanos;
            System.arraycopy(result, 0, timed, 1, result.length);
            return timed;
        });
    }

    /**
     * Like {@link #timed}, for a query that times itself (a client in another process, whose start
     * is not the query's): {@code query} returns {nanoseconds, result...}.
     */
    static Timed selfTimed(Query query) throws Exception {
        long[] result = null;
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        for (int round = 0; round < 3 || System.nanoTime() < warmEnd; round++) {
            result = query.run();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            result = query.run();
            best = Math.min(best, result[0]);
        }
        return new Timed(best, java.util.Arrays.copyOfRange(result, 1, result.length));
    }
}
