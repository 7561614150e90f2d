package io.stupiddb.segments.bench;

import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.query.plan.BlockPlanner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This store in-process ({@link SegmentStore}, defaults of SPEC §4: active segments written
 * uncompressed, each sealed segment rewritten in the background into format v2 with zstd level 3,
 * the day's shared dictionary and a column index, rotation every hour; or, as system
 * {@code ours-none}, {@code segments.compression=none}: format v2 without zstd). The store's clock
 * follows the simulated day (it is set to the newest timestamp of each batch before the write), so
 * segments are hours of the day as they would be when ingesting live; ids are assigned by the store.
 * Scans pass the filter's {@link BlockPlanner} as the service does, so v2 segments skip what their
 * columns rule out; {@link #settle} waits for the compaction, so that deferred work is counted.
 */
final class OurStorePeer implements Peer {
    private final AtomicLong now = new AtomicLong();
    private final InstantSource clock = new InstantSource() {
        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }

        @Override
        public long millis() {
            return now.get();
        }
    };
    private static final BlockPlanner HOUR_FILTER = BlockPlanner.compile(QuerySet.FILTER);
    private final BlockPlanner serverErrors = BlockPlanner.compile(QuerySet.SERVER_ERRORS);
    private final long start;
    private final Codec codec;
    private StoreConfig config;
    private SegmentStore store;
    private Path dir;
    private long[] msb = new long[1024];
    private long[] lsb = new long[1024];
    private int written;

    OurStorePeer(long start, Codec codec) {
        this.start = start;
        this.codec = codec;
    }

    @Override
    public String name() {
        return codec == Codec.ZSTD ? "this store, in-process" : "this store, in-process, compression none";
    }

    @Override
    public void create(Path dir, boolean durable) throws Exception {
        this.dir = dir;
        now.set(start);
        written = 0;
        config = StoreConfig.builder(dir).compression(codec)
                .fsync(durable ? DurabilityMode.ALWAYS : DurabilityMode.NEVER).minFreeDisk(0).build();
        store = SegmentStore.open(config, clock);
    }

    @Override
    public void ingest(List<Dataset.Doc> batch) throws Exception {
        List<DocumentToWrite> docs = new ArrayList<>(batch.size());
        long newest = now.get();
        for (Dataset.Doc doc : batch) {
            docs.add(DocumentToWrite.at(doc.msgpack(), doc.timestamp()));
            newest = Math.max(newest, doc.timestamp());
        }
        now.set(newest);
        List<WrittenDocument> ids = store.write(docs);
        if (written + ids.size() > msb.length) {
            msb = Arrays.copyOf(msb, Math.max(msb.length * 2, written + ids.size()));
            lsb = Arrays.copyOf(lsb, msb.length);
        }
        for (WrittenDocument w : ids) {
            msb[written] = w.id().getMostSignificantBits();
            lsb[written++] = w.id().getLeastSignificantBits();
        }
    }

    @Override
    public String settle() throws Exception {
        store.rotate(RotationReason.MANUAL);
        if (!store.compaction().awaitIdle(Duration.ofHours(2))) {
            throw new IllegalStateException("compaction still busy after 2 h: "
                    + store.compaction().pendingSegments() + " segments pending");
        }
        long compact = store.segments().stream().filter(s -> s.codec() == codec).count();
        return "active segment sealed (rotate), then the background compaction awaited; " + store.segments().size()
                + " segments, " + compact + " with codec " + codec.label() + ", "
                + store.compaction().compactedSegments() + " compactions";
    }

    @Override
    public long diskBytes() throws Exception {
        return Sys.du(dir);
    }

    @Override
    public boolean get(int index, Dataset.Doc ref) throws Exception {
        return store.get(new java.util.UUID(msb[index], lsb[index])).isPresent();
    }

    @Override
    public long[] scan(long from, long to) throws Exception {
        return scan(store, from, to);
    }

    /** Query 2 on {@code store} with the column planner: {matches, MessagePack bytes of the matches}. */
    static long[] scan(SegmentStore store, long from, long to) throws Exception {
        long matches = 0;
        long bytes = 0;
        try (DocumentCursor cursor = store.scan(planned(from, to, HOUR_FILTER))) {
            while (cursor.advance()) {
                matches++;
                bytes += cursor.source().remaining();
            }
        }
        return new long[] {matches, bytes};
    }

    @Override
    public long[] needle(String traceId) throws Exception {
        BlockPlanner needle = BlockPlanner.compile(QuerySet.needleFilter(traceId));
        long matches = 0;
        long bytes = 0;
        try (DocumentCursor cursor = store.scan(planned(Long.MIN_VALUE, Long.MAX_VALUE, needle))) {
            while (cursor.advance()) {
                matches++;
                bytes += cursor.source().remaining();
            }
        }
        return new long[] {matches, bytes};
    }

    @Override
    public long countServerErrors() {
        long matches = 0;
        try (DocumentCursor cursor = store.scan(planned(Long.MIN_VALUE, Long.MAX_VALUE, serverErrors))) {
            while (cursor.advance()) {
                matches++;
            }
        }
        return matches;
    }

    /** A scan as the service builds it: the filter, and the same filter compiled for the column index. */
    static ScanSpec planned(long from, long to, BlockPlanner planner) {
        return new ScanSpec(from, to, null, planner.filter()::matches, Optional.of(planner));
    }

    @Override
    public void close() throws Exception {
        store.close();
    }

    @Override
    public void reopen() throws Exception {
        store = SegmentStore.open(config, clock);
        store.get(new java.util.UUID(msb[0], lsb[0])).orElseThrow();
    }

    @Override
    public String evictOldestHour(long from, long to) throws Exception {
        SegmentInfo oldest = store.segments().getFirst();
        store.evict(oldest.id());
        return "evict(oldest segment): " + oldest.documents() + " documents";
    }

    @Override
    public Path dataDir() {
        return dir;
    }

    @Override
    public void drop(boolean last) throws Exception {
        store.close();
        Sys.deleteAll(dir);
    }

    @Override
    public String describe() {
        return "SegmentStore in the bench JVM; active segments uncompressed, sealed ones compacted in the background"
                + " to format v2 (" + (codec == Codec.ZSTD ? "zstd level 3 + shared dictionary per record"
                : "segments.compression=none") + ", column index); scans with the filter's block planner;"
                + " rotation 1 h (simulated clock)";
    }
}
