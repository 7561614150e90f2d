package io.stupiddb.segments.bench;

import io.stupiddb.segments.query.Filter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionOptionsFIFO;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * RocksDB as a user would set it up for time-partitioned logs: key = the 16-byte UUIDv7 id,
 * big-endian, whose first 48 bits are the timestamp in ms (a time range is a key range, a get by
 * id is one Get); value = the MessagePack document; zstd; FIFO compaction with a TTL of 30 days
 * (this store's default retention; FIFO drops whole files by age or total size); bloom filters
 * (10 bits/key); 256 MB block cache. Durable: WriteOptions.sync per batch (WAL fsync'd); not
 * durable: WAL written, not fsync'd (like this store with fsync never).
 */
final class RocksDbPeer implements Peer {
    static {
        RocksDB.loadLibrary();
    }

    /** The largest timestamp a key can carry (48 bits of ms): the upper bound of a whole-range iteration. */
    private static final long MAX_MILLIS = (1L << 48) - 1;

    private final Filter filter = Filter.parse(QuerySet.FILTER);
    private final Filter serverErrors = Filter.parse(QuerySet.SERVER_ERRORS);
    private final LRUCache cache = new LRUCache(256L << 20);
    private Options options;
    private WriteOptions writeOptions;
    private RocksDB db;
    private Path dir;

    @Override
    public String name() {
        return "RocksDB " + RocksDB.rocksdbVersion();
    }

    private Options options() {
        return new Options().setCreateIfMissing(true)
                .setCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setCompactionStyle(CompactionStyle.FIFO)
                .setCompactionOptionsFIFO(new CompactionOptionsFIFO().setMaxTableFilesSize(1L << 40)
                        .setAllowCompaction(false))
                .setTtl(30L * 24 * 3600)
                .setMaxOpenFiles(-1)
                .setAllowFAllocate(false) // else du counts the WAL's preallocation (~70 MB) as data
                .setLevel0SlowdownWritesTrigger(1000)
                .setLevel0StopWritesTrigger(2000)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false))
                        .setBlockCache(cache));
    }

    @Override
    public void create(Path dir, boolean durable) throws Exception {
        this.dir = dir;
        options = options();
        writeOptions = new WriteOptions().setSync(durable);
        db = RocksDB.open(options, dir.toString());
    }

    static byte[] key(long msb, long lsb) {
        return ByteBuffer.allocate(16).putLong(msb).putLong(lsb).array();
    }

    @Override
    public void ingest(List<Dataset.Doc> batch) throws Exception {
        try (WriteBatch write = new WriteBatch()) {
            for (Dataset.Doc doc : batch) {
                write.put(key(doc.idMsb(), doc.idLsb()), doc.msgpack());
            }
            db.write(writeOptions, write);
        }
    }

    @Override
    public String settle() throws Exception {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
        return "memtable flushed (WAL obsolete); " + db.getProperty("rocksdb.num-files-at-level0") + " SST files";
    }

    @Override
    public long diskBytes() throws Exception {
        return Sys.du(dir);
    }

    @Override
    public boolean get(int index, Dataset.Doc ref) throws Exception {
        return db.get(key(ref.idMsb(), ref.idLsb())) != null;
    }

    @Override
    public long[] scan(long from, long to) throws Exception {
        return iterate(from, to, filter);
    }

    /** The same iterator and filter as query 2, over the whole key range (no index on trace_id). */
    @Override
    public long[] needle(String traceId) throws Exception {
        return iterate(0, MAX_MILLIS, Filter.parse(QuerySet.needleFilter(traceId)));
    }

    @Override
    public long countServerErrors() throws Exception {
        return iterate(0, MAX_MILLIS, serverErrors)[0];
    }

    /** Iterates the keys of [from, to) (the id's first 48 bits are ms) and tests each value; {matches, bytes}. */
    private long[] iterate(long from, long to, Filter test) throws Exception {
        long matches = 0;
        long bytes = 0;
        try (Slice upper = new Slice(key(to << 16, 0));
             ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = db.newIterator(read)) {
            for (it.seek(key(from << 16, 0)); it.isValid(); it.next()) {
                byte[] value = it.value();
                if (test.matches(value)) {
                    matches++;
                    bytes += value.length;
                }
            }
            it.status();
        }
        return new long[] {matches, bytes};
    }

    @Override
    public void close() throws Exception {
        db.close();
        db = null;
    }

    @Override
    public void reopen() throws Exception {
        db = RocksDB.open(options, dir.toString());
    }

    @Override
    public String evictOldestHour(long from, long to) throws Exception {
        byte[] lower = key(from << 16, 0);
        byte[] upper = key(to << 16, 0);
        long files = Long.parseLong(db.getProperty("rocksdb.num-files-at-level0"));
        db.deleteFilesInRanges(db.getDefaultColumnFamily(), List.of(lower, upper), false);
        long left = Long.parseLong(db.getProperty("rocksdb.num-files-at-level0"));
        db.deleteRange(lower, upper);
        return "deleteFilesInRanges (dropped " + (files - left) + " of " + files
                + " SST files: those wholly inside the hour) + deleteRange tombstone for the rest";
    }

    @Override
    public Path dataDir() {
        return dir;
    }

    @Override
    public void drop(boolean last) throws Exception {
        if (db != null) {
            db.close();
            db = null;
        }
        Sys.deleteAll(dir);
    }

    @Override
    public String describe() {
        return "rocksdbjni " + RocksDB.rocksdbVersion() + " in the bench JVM; zstd, FIFO compaction (TTL 30 d), "
                + "bloom 10 bits/key, 256 MB block cache, 64 MB memtable (default)";
    }
}
