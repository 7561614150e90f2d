package io.stupiddb.segments.bench;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.DictionarySampler;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.format.column.ColumnIndex;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SealedSegmentWriter;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The format v2 part of {@link EngineBench}, on the same documents and dictionary, with the v1
 * figures beside it in the same run: what the background compaction produces (bytes per document
 * with the id and column indexes, split into records, column groups and the rest), how fast it
 * rewrites (documents and MB per second, with the day's dictionary already trained and with
 * training from its own sample), and the read paths over one v1 file (zstd per record at write
 * time, no columns) and one v2 file of the same documents: get by id, full scan, and filtered
 * scans with and without the filter's {@link BlockPlanner}.
 *
 * <p>Not thread-safe; one instance per run. The files live in the bench's temporary directory and
 * are closed by {@link #close}.
 */
final class FormatV2Bench implements AutoCloseable {
    private final Path dir;
    private final List<NewDocument> docs;
    private final long jsonBytes;
    private final long msgpackBytes;
    private final byte[] dictionary;
    /** The writer's seal: v1, codec none, what the compaction reads. */
    private final SealedSegment uncompressed;
    /** The same documents as format v1 wrote them before issue 13: zstd + dictionary per record, no columns. */
    private final SealedSegment v1;
    private SealedSegment v2;

    FormatV2Bench(Path dir, List<NewDocument> docs, long jsonBytes, long msgpackBytes, byte[] dictionary)
            throws IOException {
        this.dir = dir;
        this.docs = docs;
        this.jsonBytes = jsonBytes;
        this.msgpackBytes = msgpackBytes;
        this.dictionary = dictionary;
        this.uncompressed = EngineBench.sealedSegment(dir, "v2-source", Codec.NONE, null, docs);
        this.v1 = EngineBench.sealedSegment(dir, "v1-zstd", Codec.ZSTD, dictionary, docs);
    }

    /** One compaction of the uncompressed seal into {@code name}, timed; the result stays open. */
    private record Compaction(SealedSegment segment, long nanos) {
    }

    private Compaction compact(String name, Codec codec, Function<DictionarySampler, byte[]> dictionaryFor)
            throws IOException {
        Path target = dir.resolve(name + ".seg");
        Files.deleteIfExists(target);
        SegmentHeader header = SegmentHeader.create(name, 1L, codec, codec == Codec.ZSTD ? 3 : 0, 0, null);
        long start = System.nanoTime();
        SealedSegmentWriter.write(uncompressed, header, ColumnSettings.DEFAULT, dictionaryFor, target);
        long nanos = System.nanoTime() - start;
        return new Compaction(SealedSegment.open(target, SegmentState.SEALED), nanos);
    }

    /** Bytes per document of the v2 files beside v1's, and the compaction's own throughput. */
    void compaction() throws IOException {
        // Warm-up: the first compaction runs partly interpreted; its file is thrown away.
        compact("v2-warmup", Codec.ZSTD, sampler -> dictionary).segment().close();
        Compaction steady = compact("v2-steady", Codec.ZSTD, sampler -> dictionary);
        Compaction trained = compact("v2-trained", Codec.ZSTD, sampler -> sampler.train().orElse(null));
        Compaction none = compact("v2-none", Codec.NONE, sampler -> null);
        System.out.println("## Format v2 beside v1 (bytes of the whole file, header + dictionary + records + id index"
                + " [+ column index])");
        System.out.println("| file | bytes/doc | vs raw JSON | records B/doc | column groups B/doc | rest B/doc |");
        System.out.println("|---|---|---|---|---|---|");
        sizeRow("format v1: per-record zstd + dictionary at write time, no columns", v1);
        sizeRow("format v1, codec none: the writer's seal (what the compaction reads)", uncompressed);
        sizeRow("**format v2: per-record zstd + dictionary, id index, column index**", steady.segment());
        sizeRow("format v2, codec none (segments.compression=none), column index", none.segment());
        System.out.println();
        System.out.println("## Compaction (one v1 uncompressed file of " + docs.size() + " documents → v2, one thread;"
                + " MB/s of MessagePack read and of v2 file written)");
        System.out.println("| compaction | ms | docs/s | MessagePack MB/s | file MB/s |");
        System.out.println("|---|---|---|---|---|");
        rateRow("zstd + the day's dictionary (already trained: every segment after the day's first)", steady);
        rateRow("zstd + dictionary trained from its own sample (the day's first segment)", trained);
        rateRow("codec none (columns and index only)", none);
        System.out.println();
        trained.segment().close();
        none.segment().close();
        v2 = steady.segment();
    }

    private void sizeRow(String name, SealedSegment file) {
        double n = docs.size();
        long groups = columnGroupBytes(file);
        long records = file.payloadStats().storedBytes();
        System.out.printf("| %s | %.0f | %.2fx smaller | %.0f | %.1f | %.1f |%n", name, file.sizeBytes() / n,
                (double) jsonBytes / file.sizeBytes(), records / n, groups / n,
                (file.sizeBytes() - records - groups) / n);
    }

    private static long columnGroupBytes(SealedSegment file) {
        long sum = 0;
        Optional<ColumnIndex> index = file.columns();
        if (index.isPresent()) {
            for (int g = 0; g < index.get().granules(); g++) {
                sum += index.get().groupBytes(g).byteSize();
            }
        }
        return sum;
    }

    private void rateRow(String name, Compaction run) {
        double seconds = run.nanos() / 1e9;
        System.out.printf("| %s | %.0f | %.0f | %.1f | %.1f |%n", name, run.nanos() / 1e6, docs.size() / seconds,
                msgpackBytes / seconds / 1e6, run.segment().sizeBytes() / seconds / 1e6);
    }

    /** Get by id and scans, v1 and v2 of the same documents side by side. */
    void reads(String needleTraceId) throws IOException {
        System.out.println("## Reads: format v1 (zstd at write time) beside format v2 (compacted), same documents,"
                + " one thread");
        System.out.println("| operation | v1 | v2 | v2 / v1 |");
        System.out.println("|---|---|---|---|");
        double[] getV1 = gets(v1);
        double[] getV2 = gets(v2);
        System.out.printf("| get by random id: gets/s | %.0f | %.0f | %.2f |%n", getV1[0], getV2[0], getV2[0] / getV1[0]);
        System.out.printf("| get by random id: p50 µs | %.1f | %.1f | |%n", getV1[1], getV2[1]);
        System.out.printf("| get by random id: p99 µs | %.1f | %.1f | |%n", getV1[2], getV2[2]);
        double fullV1 = bestNanos(v1::scan, ScanSpec.ALL)[0] / 1e9;
        double fullV2 = bestNanos(v2::scan, ScanSpec.ALL)[0] / 1e9;
        System.out.printf("| full scan (CRC + decompress every record): docs/s | %.0f | %.0f | %.2f |%n",
                docs.size() / fullV1, docs.size() / fullV2, fullV1 / fullV2);
        System.out.printf("| full scan: MB/s of MessagePack | %.0f | %.0f | %.2f |%n", msgpackBytes / fullV1 / 1e6,
                msgpackBytes / fullV2 / 1e6, fullV1 / fullV2);
        System.out.printf("| full scan: MB/s of JSON (the issue's \"GB/s of JSON per core\") | %.0f | %.0f | %.2f |%n",
                jsonBytes / fullV1 / 1e6, jsonBytes / fullV2 / 1e6, fullV1 / fullV2);
        double anchorV1 = EngineBench.mappedReadRate(v1.path());
        double anchorV2 = EngineBench.mappedReadRate(v2.path());
        System.out.printf("| full scan: MB/s of file / raw mmap read of the same file (anchor, MB/s) | %.0f / %.0f |"
                        + " %.0f / %.0f | |%n", v1.sizeBytes() / fullV1 / 1e6, anchorV1, v2.sizeBytes() / fullV2 / 1e6,
                anchorV2);
        System.out.println();
        System.out.println("| filtered scan of the whole file (best of 3 after 2 rounds) | matches | v1 ms | v1 planned ms"
                + " | v2 ms | v2 planned ms | v2 planned × v1 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String filter : List.of(QuerySet.FILTER, QuerySet.needleFilter(needleTraceId), QuerySet.SERVER_ERRORS)) {
            BlockPlanner planner = BlockPlanner.compile(filter);
            ScanSpec plain = ScanSpec.filtered(planner.filter()::matches);
            ScanSpec planned = OurStorePeer.planned(Long.MIN_VALUE, Long.MAX_VALUE, planner);
            double[] a = bestNanos(v1::scan, plain);
            double[] b = bestNanos(v1::scan, planned);
            double[] c = bestNanos(v2::scan, plain);
            double[] d = bestNanos(v2::scan, planned);
            if (a[1] != b[1] || a[1] != c[1] || a[1] != d[1]) {
                throw new IllegalStateException("matches differ for " + filter + ": " + a[1] + " " + b[1] + " " + c[1]
                        + " " + d[1]);
            }
            System.out.printf("| `%s` | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", filter, a[1], a[0] / 1e6,
                    b[0] / 1e6, c[0] / 1e6, d[0] / 1e6, a[0] / d[0]);
        }
        System.out.println();
    }

    /** {gets/s, p50 µs, p99 µs} of random gets after a warm-up of a quarter as many. */
    private double[] gets(SealedSegment file) {
        SplittableRandom random = new SplittableRandom(3);
        int gets = Math.min(200_000, docs.size() * 2);
        for (int i = 0; i < gets / 4; i++) {
            file.get(docs.get(random.nextInt(docs.size())).id()).orElseThrow();
        }
        long[] latencies = new long[gets];
        long start = System.nanoTime();
        for (int i = 0; i < gets; i++) {
            long t0 = System.nanoTime();
            file.get(docs.get(random.nextInt(docs.size())).id()).orElseThrow();
            latencies[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new double[] {gets / seconds, latencies[gets / 2] / 1e3, latencies[gets * 99 / 100] / 1e3};
    }

    /**
     * {best nanos of 3 after 2 warm-up rounds, matches} of a scan ({@code scanner}: a segment's or a
     * store's); shared by StoreBench.
     */
    static double[] bestNanos(Function<ScanSpec, DocumentCursor> scanner, ScanSpec spec) {
        long best = Long.MAX_VALUE;
        long matches = 0;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            try (DocumentCursor cursor = scanner.apply(spec)) {
                matches = drain(cursor);
            }
            if (round >= 2) {
                best = Math.min(best, System.nanoTime() - start);
            }
        }
        return new double[] {best, matches};
    }

    /** Walks a cursor to its end, touching each match's bytes as a client would; returns the matches. */
    static long drain(DocumentCursor cursor) {
        long matches = 0;
        while (cursor.advance()) {
            matches += cursor.source().remaining() > 0 ? 1 : 0;
        }
        return matches;
    }

    @Override
    public void close() {
        uncompressed.close();
        v1.close();
        if (v2 != null) {
            v2.close();
        }
    }
}
