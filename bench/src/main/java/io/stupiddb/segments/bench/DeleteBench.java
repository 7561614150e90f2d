package io.stupiddb.segments.bench;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.store.DeleteResult;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Delete by filter (issue 17, docs/BENCHMARKS.md): the same documents over 24 hours, one segment
 * (PostgreSQL: one partition) per hour; then every document of 200 of the 800 tenants (a quarter,
 * 100,000 of 400,000 on a full run) is deleted. Measured: the time until the delete is
 * acknowledged (the documents are hidden), the time until their space is back (ours: the
 * background rewrite of the 24 segments, from the acknowledgement until {@code reclaimDeleted}
 * returns; PostgreSQL: {@code VACUUM}, then {@code VACUUM FULL}, since plain VACUUM only marks the
 * space reusable), and the bytes before and after. Neither side has an index on the tenant: both
 * scan everything. Ours first runs the filter as a plain scan (printed: the delete's own scan
 * cost, and JIT warm-up for it).
 *
 * <p>{@code --quick}: 40,000 documents (10,000 deleted). {@code --count N}: N documents.
 * {@code --systems ours,postgres}. Writes the table to stdout and bench/target/deletes.md.
 */
public final class DeleteBench {
    private static final int TENANTS_DELETED = 200;

    private DeleteBench() {}

    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        boolean quick = list.contains("--quick");
        int count = list.contains("--count")
                ? Integer.parseInt(list.get(list.indexOf("--count") + 1))
                : quick ? 40_000 : 400_000;
        String systems = list.contains("--systems") ? list.get(list.indexOf("--systems") + 1) : "ours,postgres";
        Path root = Files.createTempDirectory("delete-bench");
        long start = (System.currentTimeMillis() / Dataset.HOUR - 25) * Dataset.HOUR;
        Dataset data = Dataset.generate(root.resolve("dataset.bin"), count, start, 24 * Dataset.HOUR);
        StringBuilder report = new StringBuilder();
        report.append("| system | documents | deleted | segments / partitions | hide (ms) | reclaim (ms) | bytes before | bytes after | how the space comes back |\n");
        report.append("|---|---|---|---|---|---|---|---|---|\n");
        try {
            if (systems.contains("ours")) {
                report.append(ours(data, root.resolve("ours")));
            }
            if (systems.contains("postgres")) {
                report.append(postgres(data, root.resolve("postgres")));
            }
        } finally {
            Sys.deleteAll(root);
        }
        System.out.print(report);
        Path out = Path.of("bench/target/deletes.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static String tenants() {
        StringJoiner in = new StringJoiner(",", "[", "]");
        for (int t = 0; t < TENANTS_DELETED; t++) {
            in.add("\"t-" + t + "\"");
        }
        return in.toString();
    }

    private static String ours(Dataset data, Path dir) throws Exception {
        StoreConfig config = StoreConfig.builder(dir)
                .maxSegmentAge(Duration.ofDays(365))
                .maxSegmentSize(1L << 34)
                .fsync(DurabilityMode.NEVER) // ingest is not what is measured; deletes fsync regardless
                .minFreeDisk(0)
                .build();
        try (SegmentStore store = SegmentStore.open(config, InstantSource.system());
                Dataset.Reader reader = data.reader(data.count)) {
            long hour = -1;
            for (List<Dataset.Doc> batch = reader.next(1000); !batch.isEmpty(); batch = reader.next(1000)) {
                List<DocumentToWrite> toWrite = new ArrayList<>(batch.size());
                for (Dataset.Doc doc : batch) {
                    if (doc.timestamp() / Dataset.HOUR != hour && !toWrite.isEmpty()) {
                        store.write(toWrite);
                        toWrite = new ArrayList<>();
                    }
                    if (doc.timestamp() / Dataset.HOUR != hour) {
                        store.rotate(RotationReason.MANUAL);
                        hour = doc.timestamp() / Dataset.HOUR;
                    }
                    toWrite.add(DocumentToWrite.at(doc.msgpack(), doc.timestamp()));
                }
                store.write(toWrite);
            }
            store.rotate(RotationReason.MANUAL);
            // Measure on what a store holds at rest: every sealed segment compacted into format v2.
            if (!store.compaction().awaitIdle(Duration.ofMinutes(30))) {
                throw new IllegalStateException("compaction did not finish in 30 minutes");
            }
            List<SegmentInfo> segments = store.segments();
            long before = segments.stream().mapToLong(SegmentInfo::sizeBytes).sum();
            // As the REST API builds it: the filter, and the same filter compiled for v2's column index.
            var json = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"tenant\":{\"$in\":" + tenants() + "}}");
            Filter filter = Filter.parse(json);
            ScanSpec spec = new ScanSpec(
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    null,
                    filter::matches,
                    java.util.Optional.of(io.stupiddb.segments.query.plan.BlockPlanner.compile(json)));
            long s0 = System.nanoTime();
            long matches = 0;
            try (var cursor = store.scan(spec)) {
                while (cursor.advance()) {
                    matches++;
                }
            }
            // What the delete's own scan costs (the rest is one fsync per affected segment's
            // tombstone file and two per journal event); it also warms the JIT for the delete.
            System.out.printf(
                    "ours: the same filter as a scan alone: %,d matches in %,d ms%n",
                    matches, (System.nanoTime() - s0) / 1_000_000);
            long t0 = System.nanoTime();
            DeleteResult result = store.delete(spec);
            long t1 = System.nanoTime();
            store.reclaimDeleted();
            long t2 = System.nanoTime();
            long after = store.segments().stream().mapToLong(SegmentInfo::sizeBytes).sum();
            return row(
                    "ours",
                    data.count,
                    result.deleted(),
                    segments.size() + " segments",
                    t1 - t0,
                    t2 - t1,
                    before,
                    after,
                    "background rewrite of the " + result.segments().size() + " affected segments");
        }
    }

    private static String postgres(Dataset data, Path dir) throws Exception {
        Files.createDirectories(dir);
        PostgresPeer peer = new PostgresPeer(data, dir);
        try {
            peer.create(dir, true);
            try (Dataset.Reader reader = data.reader(data.count)) {
                for (List<Dataset.Doc> batch = reader.next(1000); !batch.isEmpty(); batch = reader.next(1000)) {
                    peer.ingest(batch);
                }
            }
            peer.settle();
            long before = peer.tableBytes();
            String in = tenants().replace('"', '\'').replace("[", "(").replace("]", ")");
            long t0 = System.nanoTime();
            long deleted = peer.execute("DELETE FROM docs WHERE doc->>'tenant' IN " + in);
            long t1 = System.nanoTime();
            peer.execute("VACUUM docs");
            long t2 = System.nanoTime();
            long afterVacuum = peer.tableBytes();
            peer.execute("VACUUM FULL docs");
            long t3 = System.nanoTime();
            long afterFull = peer.tableBytes();
            String partitions = "25 partitions";
            return row(peer.name(), data.count, deleted, partitions, t1 - t0, t2 - t1, before, afterVacuum,
                            "VACUUM (space reusable by the table, not returned)")
                    + row(peer.name(), data.count, deleted, partitions, t1 - t0, t3 - t1, before, afterFull,
                            "VACUUM, then VACUUM FULL (rewrites every partition under an exclusive lock)");
        } finally {
            peer.drop(true);
        }
    }

    private static String row(String system, int documents, long deleted, String units, long hideNanos,
            long reclaimNanos, long before, long after, String how) {
        return String.format("| %s | %,d | %,d | %s | %,d | %,d | %,d | %,d | %s |%n", system, documents, deleted,
                units, hideNanos / 1_000_000, reclaimNanos / 1_000_000, before, after, how);
    }
}
