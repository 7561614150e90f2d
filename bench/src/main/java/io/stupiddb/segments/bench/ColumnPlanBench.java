package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.format.column.ColumnGroup;
import io.stupiddb.segments.format.column.ColumnOptions;
import io.stupiddb.segments.format.column.ColumnPath;
import io.stupiddb.segments.format.column.FieldValues;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlan;
import io.stupiddb.segments.query.plan.BlockPlanner;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Format v2 column blocks: nanoseconds per row to plan a filter over one 8,192-row block of
 * {@link LogWorkload} documents (columns in a native segment, as from a mapped file), against
 * testing each document's MessagePack with {@link Filter#matches}. After the builds of bench/jmh,
 * run {@code java -cp "bench/target/bench.jar:bench/target/lib/*" org.openjdk.jmh.Main -bm sample ColumnPlanBench}
 * (bench/jmh itself always adds EngineMicroBench); on a shared machine the sample mode's median
 * is steadier than the average. {@link #main} prints the column sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ColumnPlanBench {
    static final int ROWS = 8_192;
    static final List<String> COLUMNS = List.of("level", "http.status", "http.method", "service", "trace_id", "user_id",
            "latency_ms", "message");

    private MemorySegment group;
    private BlockPlanner errors;
    private BlockPlanner trace;
    private BlockPlanner absentTrace;
    private byte[][] documents;

    /** The block's documents as MessagePack. */
    static byte[][] documents() throws Exception {
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        LogWorkload workload = new LogWorkload(42, 1_764_000_000_000L, 3_600_000L, ROWS);
        byte[][] docs = new byte[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            docs[i] = msgpack.writeValueAsBytes(workload.event(workload.timestamp(i)));
        }
        return docs;
    }

    static byte[] encode(byte[][] docs, List<String> columns) {
        List<FieldValues> values = new ArrayList<>(docs.length);
        for (byte[] doc : docs) {
            values.add(FieldValues.of(doc));
        }
        return ColumnGroup.encode(columns.stream().map(ColumnPath::of).toList(), values, ColumnOptions.DEFAULT);
    }

    @Setup
    public void setUp() throws Exception {
        documents = documents();
        byte[] encoded = encode(documents, COLUMNS);
        group = Arena.ofAuto().allocate(encoded.length);
        MemorySegment.copy(encoded, 0, group, ValueLayout.JAVA_BYTE, 0, encoded.length);
        errors = BlockPlanner.compile("{\"level\":\"error\",\"http.status\":{\"$gte\":500}}");
        trace = BlockPlanner.compile("{\"trace_id\":\"" + traceId(documents[4_321]) + "\"}");
        absentTrace = BlockPlanner.compile("{\"trace_id\":\"00000000000000000000000000000000\"}");
    }

    private static String traceId(byte[] doc) throws Exception {
        return new ObjectMapper(new MessagePackFactory()).readTree(doc).get("trace_id").asText();
    }

    /** level == "error" AND http.status >= 500: open the group and both columns (CRC32C), plan every row. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public BlockPlan planErrors() {
        return errors.plan(ColumnGroup.read(group, 0, null));
    }

    /** trace_id equality: the bloom says "maybe", every row stays undecided (the documents decide). */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public BlockPlan planPresentTrace() {
        return trace.plan(ColumnGroup.read(group, 0, null));
    }

    /** trace_id equality on an id the block does not have: one bloom probe skips the block. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public BlockPlan planAbsentTrace() {
        return absentTrace.plan(ColumnGroup.read(group, 0, null));
    }

    /** The v1 way: the same filter on every document's MessagePack. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int evaluateEveryDocument() {
        Filter filter = errors.filter();
        int matches = 0;
        for (byte[] doc : documents) {
            matches += filter.matches(doc) ? 1 : 0;
        }
        return matches;
    }

    /** Prints encoded bytes per row, per column and in total, for one 8,192-row block. */
    public static void main(String[] args) throws Exception {
        byte[][] docs = documents();
        long msgpackBytes = 0;
        for (byte[] doc : docs) {
            msgpackBytes += doc.length;
        }
        System.out.printf("| column | encoding | bytes | bytes/row |%n|---|---|---|---|%n");
        long total = 0;
        for (String column : COLUMNS) {
            byte[] group = encode(docs, List.of(column));
            io.stupiddb.segments.format.column.ColumnBlock block = ColumnGroup.read(group).column(ColumnPath.of(column));
            String encoding = block.has(io.stupiddb.segments.format.column.ColumnKind.STRING)
                    ? (block.stringEncoding() == 1 ? "dictionary of " + block.dictionarySize() : "bloom")
                    : block.has(io.stupiddb.segments.format.column.ColumnKind.INT)
                    ? "int64 FOR, " + widthOf(block) + " bits" : "float64";
            total += block.byteSize();
            System.out.printf("| %s | %s | %d | %.2f |%n", column, encoding, block.byteSize(), (double) block.byteSize() / ROWS);
        }
        byte[] all = encode(docs, COLUMNS);
        System.out.printf("| all 8 columns, one group (directory included) | | %d | %.2f |%n", all.length, (double) all.length / ROWS);
        System.out.printf("| (sum of blocks %d) MessagePack documents | | %d | %.1f |%n", total, msgpackBytes, (double) msgpackBytes / ROWS);
    }

    private static int widthOf(io.stupiddb.segments.format.column.ColumnBlock block) {
        long range = block.intMax() - block.intMin();
        return 64 - Long.numberOfLeadingZeros(range);
    }
}
