package io.stupiddb.segments.bench;

/**
 * The fixed query set of PeersBench, the same for every system:
 * <ol>
 *   <li>get by id: random ids of the data set (uniform);</li>
 *   <li>1-hour time range [start + 12 h, start + 13 h) with a two-predicate filter
 *       {@code level == "error" AND http.status >= 500}, every matching document returned to the
 *       client;</li>
 *   <li>eviction of the oldest hour.</li>
 * </ol>
 */
final class QuerySet {
    /** Query 2 in this store's filter language (docs/QUERY.md); RocksDB evaluates the same filter. */
    static final String FILTER = "{\"level\":\"error\",\"http.status\":{\"$gte\":500}}";
    /** Query 2 in PostgreSQL: the usual JSONB operators, partitions pruned by the ts range. */
    static final String SQL_SCAN = "SELECT id, doc FROM docs WHERE ts >= ? AND ts < ? AND doc->>'level' = 'error'"
            + " AND (doc->'http'->>'status')::int >= 500";
    /** Query 1 in PostgreSQL: the id carries its timestamp (UUIDv7), so the partition is pruned too. */
    static final String SQL_GET = "SELECT doc FROM docs WHERE id = ? AND ts = ?";

    private QuerySet() {
    }

    static long scanFrom(Dataset data) {
        return data.start + 12 * Dataset.HOUR;
    }

    static long scanTo(Dataset data) {
        return scanFrom(data) + Dataset.HOUR;
    }
}
