package io.stupiddb.segments.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One system of PeersBench: this store (in-process or over HTTP), PostgreSQL or RocksDB, driven
 * the same way by one client thread. The bench times the calls; a peer only does the work.
 */
interface Peer {
    String name();

    /** A fresh, empty data set in {@code dir}; {@code durable}: every ingest call is fsync'd before it returns. */
    void create(Path dir, boolean durable) throws Exception;

    /** Stores one batch (one commit). */
    void ingest(List<Dataset.Doc> batch) throws Exception;

    /**
     * What a user would do after a load before measuring size (flush, checkpoint...), including
     * waiting for the work the system deferred during the load (this store: the background compaction
     * of sealed segments into format v2); says what it did.
     */
    String settle() throws Exception;

    /** Bytes on disk of everything the system keeps for the data set (du of its data directory). */
    long diskBytes() throws Exception;

    /** Bytes of the table and its indexes where the system can tell apart from its logs; -1 otherwise. */
    default long tableBytes() throws Exception {
        return -1;
    }

    /** Get-by-id of the {@code index}-th ingested document; false if not found. */
    boolean get(int index, Dataset.Doc ref) throws Exception;

    /** Query 2 of {@link QuerySet}: documents with from <= ts < to matching the filter; {matches, bytes returned}. */
    long[] scan(long from, long to) throws Exception;

    /** Query 4 of {@link QuerySet}: every document of the data set with this trace_id; {matches, bytes returned}. */
    long[] needle(String traceId) throws Exception;

    /** Query 5 of {@link QuerySet}: how many documents of the data set have http.status >= 500. */
    long countServerErrors() throws Exception;

    /** Stops (cleanly) without losing data, for {@link #reopen}. */
    void close() throws Exception;

    /** Opens the same data again; the caller times it up to the first answered read. */
    void reopen() throws Exception;

    /** Query 3: drops the oldest hour [from, to) the way this system offers; null if not measured. */
    String evictOldestHour(long from, long to) throws Exception;

    /** Data directory (for du). */
    Path dataDir();

    /** Peak RSS in kB of the system's server processes (not this JVM), -1 when in-process. */
    default long serverPeakRssKb() throws Exception {
        return -1;
    }

    /** Drops the data set (and stops what {@link #create} started if {@code last}). */
    void drop(boolean last) throws Exception;

    /** Free text for the report: version, settings. */
    String describe();
}
