package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The fixed query set of PeersBench, the same for every system:
 * <ol>
 *   <li>get by id: random ids of the data set (uniform);</li>
 *   <li>1-hour time range [start + 12 h, start + 13 h) with a two-predicate filter
 *       {@code level == "error" AND http.status >= 500}, every matching document returned to the
 *       client;</li>
 *   <li>eviction of the oldest hour;</li>
 *   <li>a needle over the whole day: {@code trace_id} equal to the trace id of one existing
 *       document ({@link #needleIndex}), every match returned (no time range, no extra index);</li>
 *   <li>a full-day count of {@code http.status >= 500} (only the number goes back to the client).</li>
 * </ol>
 * Queries 4 and 5 are timed like query 2 and run before the restart and query 3, on the same data.
 */
final class QuerySet {
    /** Query 2 in this store's filter language (docs/QUERY.md); RocksDB evaluates the same filter. */
    static final String FILTER = "{\"level\":\"error\",\"http.status\":{\"$gte\":500}}";
    /** Query 2 in PostgreSQL: the usual JSONB operators, partitions pruned by the ts range. */
    static final String SQL_SCAN = "SELECT id, doc FROM docs WHERE ts >= ? AND ts < ? AND doc->>'level' = 'error'"
            + " AND (doc->'http'->>'status')::int >= 500";
    /** Query 1 in PostgreSQL: the id carries its timestamp (UUIDv7), so the partition is pruned too. */
    static final String SQL_GET = "SELECT doc FROM docs WHERE id = ? AND ts = ?";
    /** Query 4 in PostgreSQL: every partition, no index on the field (as a user would have it). */
    static final String SQL_NEEDLE = "SELECT id, doc FROM docs WHERE doc->>'trace_id' = ?";
    /** Query 5 in this store's filter language; RocksDB evaluates the same filter. */
    static final String SERVER_ERRORS = "{\"http.status\":{\"$gte\":500}}";
    /** Query 5 in PostgreSQL: every partition. */
    static final String SQL_COUNT = "SELECT count(*) FROM docs WHERE (doc->'http'->>'status')::int >= 500";

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuerySet() {
    }

    static long scanFrom(Dataset data) {
        return data.start + 12 * Dataset.HOUR;
    }

    static long scanTo(Dataset data) {
        return scanFrom(data) + Dataset.HOUR;
    }

    /** The document whose trace id query 4 looks for: in the afternoon of the day, not at an edge. */
    static int needleIndex(int count) {
        return (int) (count * 5L / 8);
    }

    /** Query 4 in this store's filter language (RocksDB evaluates the same filter). */
    static String needleFilter(String traceId) {
        return "{\"trace_id\":\"" + traceId + "\"}";
    }

    /** The {@code trace_id} of a document's JSON (LogWorkload gives every document one: 32 hex digits). */
    static String traceId(byte[] json) throws IOException {
        String traceId = JSON.readTree(json).path("trace_id").asText("");
        if (!traceId.matches("[0-9a-f]{32}")) {
            throw new IllegalStateException("the needle document has no trace_id of 32 hex digits: " + traceId);
        }
        return traceId;
    }
}
