package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.DictionarySampler;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.SealedSegmentWriter;
import io.stupiddb.segments.segment.SegmentState;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * JMH microbenchmarks of the engine's hot paths, for regression tracking (not for comparing
 * with other systems: that is PeersBench). Scores are documents per second. Run with
 * {@code bench/jmh [--quick]}; the defaults here are the full settings. The same 10,000 documents
 * (one simulated hour) are held twice: as format v1 wrote them (zstd + dictionary per record at
 * write time, no columns: {@link #get}, {@link #scan}) and as the background compaction rewrites
 * them into format v2 (same codec and dictionary, id index and column index: {@link #getV2},
 * {@link #scanV2}, {@link #scanV2Planned}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dmsgpack.universal-buffer=true", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineMicroBench {
    static final int DOCS = 10_000;
    static final int BATCH = 100;
    private static final long BASE = 1_764_000_000_000L;

    private Path dir;
    private byte[][] sources;
    private long[] timestamps;
    private UUID[] ids;
    private byte[] dictionary;
    private SealedSegment sealed;
    private SealedSegment sealedV2;
    private BlockPlanner planner;
    private Filter filter;
    private long nextId;
    private int cursor;
    private final SplittableRandom random = new SplittableRandom(5);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "jmh-engine");
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        LogWorkload workload = new LogWorkload(1, BASE, 3_600_000L, DOCS);
        sources = new byte[DOCS][];
        timestamps = new long[DOCS];
        ids = new UUID[DOCS];
        DictionarySampler sampler = DictionarySampler.withDefaults(7);
        for (int i = 0; i < DOCS; i++) {
            timestamps[i] = workload.timestamp(i);
            sources[i] = msgpack.writeValueAsBytes(workload.event(timestamps[i]));
            ids[i] = id(i);
            sampler.offer(sources[i], sources[i].length);
        }
        dictionary = sampler.train().orElseThrow();
        ActiveSegment segment = ActiveSegment.create(dir, SegmentHeader.create("reads", 1L, Codec.ZSTD, 3, 0,
                dictionary), DurabilityMode.NEVER, InstantSource.system());
        List<NewDocument> all = new ArrayList<>(DOCS);
        for (int i = 0; i < DOCS; i++) {
            all.add(new NewDocument(ids[i], timestamps[i], sources[i]));
        }
        for (int i = 0; i < DOCS; i += BATCH) {
            segment.append(all.subList(i, i + BATCH));
        }
        sealed = segment.seal();
        filter = Filter.parse(QuerySet.FILTER);
        planner = BlockPlanner.compile(QuerySet.FILTER);
        try (SealedSegment uncompressed = EngineBench.sealedSegment(dir, "v2-source", Codec.NONE, null, all)) {
            Path target = dir.resolve("v2.seg");
            SealedSegmentWriter.write(uncompressed, SegmentHeader.create("v2", 1L, Codec.ZSTD, 3, 0, null),
                    ColumnSettings.DEFAULT, samples -> dictionary, target);
            sealedV2 = SealedSegment.open(target, SegmentState.SEALED);
        }
        nextId = DOCS;
    }

    private static UUID id(long n) {
        return new UUID(((BASE + n / 1000) << 16) | 0x7000L, 0x8000_0000_0000_0000L | n);
    }

    /** The active segment that {@link #append} writes to: a fresh one per iteration, only for that benchmark. */
    @State(Scope.Thread)
    public static class Appender {
        ActiveSegment active;

        @Setup(Level.Iteration)
        public void open(EngineMicroBench bench) throws IOException {
            active = ActiveSegment.create(bench.dir, SegmentHeader.create("append-" + bench.nextId, 1L, Codec.ZSTD,
                    3, 0, bench.dictionary), DurabilityMode.NEVER, InstantSource.system());
        }

        @TearDown(Level.Iteration)
        public void drop() throws IOException {
            Path file = active.path();
            if (active.documents() > 0) {
                active.seal().close();
            } else {
                active.close();
            }
            Files.deleteIfExists(file);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sealed.close();
        sealedV2.close();
        Sys.deleteAll(dir);
    }

    /** Append a batch of 100 documents (zstd + dictionary, no fsync): framing, checksum, compression, index. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long append(Appender appender) throws IOException {
        List<NewDocument> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            int at = cursor++ % DOCS;
            batch.add(new NewDocument(id(nextId++), timestamps[at], sources[at]));
        }
        appender.active.append(batch);
        return nextId;
    }

    /** Get by random id from a sealed segment of 10,000 documents: index search, CRC, decompression. */
    @Benchmark
    public int get() {
        return sealed.get(ids[random.nextInt(DOCS)]).orElseThrow().source().length;
    }

    /** The filter of query 2 evaluated on one document's MessagePack bytes. */
    @Benchmark
    public boolean filter() {
        return filter.matches(sources[cursor++ % DOCS]);
    }

    /** Full scan of the sealed segment with the filter of query 2 (CRC + decompress + filter every record). */
    @Benchmark
    @OperationsPerInvocation(DOCS)
    public long scan() {
        return count(sealed, ScanSpec.filtered(filter::matches));
    }

    /** Get by random id from the v2 file of the same documents: id index, CRC, decompression of one record. */
    @Benchmark
    public int getV2() {
        return sealedV2.get(ids[random.nextInt(DOCS)]).orElseThrow().source().length;
    }

    /** The scan of {@link #scan} over the v2 file without the planner: every record decoded and tested. */
    @Benchmark
    @OperationsPerInvocation(DOCS)
    public long scanV2() {
        return count(sealedV2, ScanSpec.filtered(filter::matches));
    }

    /**
     * The 1-hour scan of query 2 over the v2 file with the filter's block planner, as the store runs
     * it: rows decided on the columns, only possible matches read. Scored in documents of the hour.
     */
    @Benchmark
    @OperationsPerInvocation(DOCS)
    public long scanV2Planned() {
        return count(sealedV2, OurStorePeer.planned(BASE, BASE + 3_600_000L, planner));
    }

    /** Walks the matches, touching each one's bytes as a client would. */
    private static long count(SealedSegment segment, ScanSpec spec) {
        try (DocumentCursor c = segment.scan(spec)) {
            return FormatV2Bench.drain(c);
        }
    }
}
