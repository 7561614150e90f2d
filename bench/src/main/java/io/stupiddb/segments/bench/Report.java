package io.stupiddb.segments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown report of {@link PeersBench}: every figure beside the best peer and the physical anchor. */
final class Report {
    private static final List<String> PEERS = List.of("postgres", "rocksdb");

    private Report() {
    }

    static String markdown(PeersBench.Settings settings, Dataset data, Map<String, String> anchors,
                           Map<String, Map<String, String>> results, String args) {
        StringBuilder md = new StringBuilder();
        md.append("# Against PostgreSQL and RocksDB (`PeersBench`)\n\n");
        md.append("- run: ").append(PeersBench.now()).append(", `bench/run peers").append(args.isEmpty() ? "" : " " + args)
                .append("` (main class PeersBench), load average at the end: ")
                .append(Sys.runQuietly(List.of("sh", "-c", "cut -d' ' -f1-3 /proc/loadavg"))).append('\n');
        md.append("- machine: ").append(PeersBench.machine()).append('\n');
        md.append("- versions: ").append(PeersBench.versions()).append('\n');
        md.append(String.format(Locale.ROOT, "- workload: %,d LogWorkload documents over a simulated 24 h, %.0f B JSON"
                        + " on average; batch 1 on the first %,d documents, batch 100 on the first %,d, batch 1,000 on"
                        + " all, each after an untimed warm-up ingest of 20,000 documents (JIT); %,d random gets after ≥ %,d warm-up gets and ≥ 2 s; one client thread for every system%n",
                settings.count(), avg(results, "json.bytes_per_doc"), settings.batch1Count(),
                settings.batch100Count(), settings.gets(), settings.gets() / 4));
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue().getOrDefault("describe", "?"));
            if (e.getValue().containsKey("settle")) {
                md.append("; before measuring size: ").append(e.getValue().get("settle"));
            }
            if (e.getValue().containsKey("error")) {
                md.append(" — **").append(e.getValue().get("error")).append("**");
            }
            md.append('\n');
        }
        md.append("- durability: `fsync` = every batch durable before it is acknowledged (this store "
                + "segments.fsync=always; PostgreSQL synchronous_commit=on, fsync=on; RocksDB WriteOptions.sync=true);"
                + " `nofsync` = written to the OS, not fsync'd (this store fsync=never; PostgreSQL "
                + "synchronous_commit=off; RocksDB sync=false with the WAL on)\n\n");

        md.append("## Ingest (JSON MB/s = the documents' JSON size; × best peer: the faster of PostgreSQL and RocksDB"
                + " at the same durability and batch; × anchor: raw sequential write of the same JSON bytes with the"
                + " same fsync per batch)\n\n");
        md.append("| system | durability | batch | docs | docs/s | JSON MB/s | × best peer | × anchor |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (String durability : List.of("fsync", "nofsync")) {
            for (String batch : List.of("1", "100", "1000")) {
                String key = "ingest." + durability + "." + batch;
                double anchor = num(anchors.get(key + ".docs_s"));
                double best = best(results, key + ".docs_s", true);
                for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
                    double rate = num(e.getValue().get(key + ".docs_s"));
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                            e.getKey(), durability, batch, e.getValue().getOrDefault(key + ".count", "-"), f0(rate),
                            f1(num(e.getValue().get(key + ".mb_s"))), ratio(rate, best), ratio(rate, anchor)));
                }
                md.append(String.format(Locale.ROOT, "| *anchor: raw write* | %s | %s | | %s | %s | | 1.00 |%n",
                        durability, batch, f0(anchor), f1(num(anchors.get(key + ".mb_s")))));
            }
        }

        md.append("\n## Query 1: get by random id (× best peer: throughput over the faster peer's)\n\n");
        md.append("| system | gets/s | p50 µs | p99 µs | × best peer |\n|---|---|---|---|---|\n");
        double bestGet = best(results, "get.ops_s", true);
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", e.getKey(), f0(num(r.get("get.ops_s"))),
                    f1(num(r.get("get.p50_us"))), f1(num(r.get("get.p99_us"))), ratio(num(r.get("get.ops_s")), bestGet)));
        }

        md.append("\n## Query 2: 1-hour range + `level == \"error\" AND http.status >= 500` (docs/s and MB/s of"
                + " the hour's documents, JSON size; best of 5 after ≥ 3 s of the same query as warm-up; × anchor: mmap read of the same JSON"
                + " bytes, " + f0(num(anchors.get("mmap.mb_s"))) + " MB/s)\n\n");
        md.append("| system | docs in the hour | matches | ms | docs/s | MB/s | × best peer | × PostgreSQL | × RocksDB"
                + " | × anchor |\n|---|---|---|---|---|---|---|---|---|---|\n");
        double bestScan = best(results, "scan.docs_s", true);
        double postgresScan = num(results.getOrDefault("postgres", Map.of()).get("scan.docs_s"));
        double rocksScan = num(results.getOrDefault("rocksdb", Map.of()).get("scan.docs_s"));
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            double rate = num(r.get("scan.docs_s"));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(),
                    r.getOrDefault("scan.docs", "-"), r.getOrDefault("scan.matches", "-"), f1(num(r.get("scan.ms"))),
                    f0(rate), f1(num(r.get("scan.mb_s"))), ratio(rate, bestScan), ratio(rate, postgresScan),
                    ratio(rate, rocksScan), ratio(num(r.get("scan.mb_s")), num(anchors.get("mmap.mb_s")))));
        }

        md.append("\n## Query 4: needle over the whole day, `trace_id == \"")
                .append(first(results, "needle.trace_id")).append("\"` (one existing value; every match returned;"
                        + " no time range; PostgreSQL without an index on the field, RocksDB with the iterator and"
                        + " filter of query 2; best of 5 after ≥ 3 s of the same query; × PostgreSQL, × RocksDB:"
                        + " their time over this one, higher is faster)\n\n");
        wholeDay(md, results, "needle", "documents of the day searched");

        md.append("\n## Query 5: full-day count of `http.status >= 500` (only the count goes back, except over HTTP,"
                + " where the API has no count and every match streams as NDJSON; same timing as query 4)\n\n");
        wholeDay(md, results, "count", "documents of the day counted over");

        md.append("\n## Load + settle (fsync, batch 1,000, all documents: the ingest as timed above, then the"
                + " settle step until everything deferred is done — this store: seal, then the background compaction"
                + " into format v2; RocksDB: memtable flush; PostgreSQL: VACUUM ANALYZE + CHECKPOINT; × RocksDB,"
                + " × best peer: docs/s over load + settle against theirs)\n\n");
        md.append("| system | ingest docs/s | load s | settle s | load + settle s | docs/s over load + settle |"
                + " × RocksDB | × best peer |\n|---|---|---|---|---|---|---|---|\n");
        double bestLoad = best(results, "load_settle.docs_s", true);
        double rocksLoad = num(results.getOrDefault("rocksdb", Map.of()).get("load_settle.docs_s"));
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            double rate = num(r.get("load_settle.docs_s"));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(),
                    f0(num(r.get("ingest.fsync.1000.docs_s"))), f1(num(r.get("load.s"))),
                    f1(num(r.get("settle.ms")) / 1e3), f1(num(r.get("load_settle.s"))), f0(rate),
                    ratio(rate, rocksLoad), ratio(rate, bestLoad)));
        }

        md.append("\n## Query 3: evict the oldest hour (bytes freed = du of the data directory right before and right"
                + " after; hour's share = bytes holding the data (PostgreSQL: table + indexes; others: data directory) × documents of the first hour / all)\n\n");
        md.append("| system | how | ms | MB freed at once | hour's share MB | freed / share |\n|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            if (!r.containsKey("evict.ms")) {
                md.append("| ").append(e.getKey()).append(" | not measured | | | | |\n");
                continue;
            }
            double freed = num(r.get("evict.freed_bytes"));
            double share = num(r.get("evict.hour_share_bytes"));
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", e.getKey(), r.get("evict.how"),
                    f1(num(r.get("evict.ms"))), freed < 0 ? String.format(Locale.ROOT, "0 (du grew by %.0f kB)",
                            -freed / 1e3) : f1(freed / 1e6), f1(share / 1e6), ratio(Math.max(0, freed), share)));
        }

        md.append("\n## Size, start-up, memory (× best peer: this value over the smaller peer's; lower is better)\n\n");
        md.append("| system | settle ms | bytes/doc on disk | table+indexes bytes/doc | × best peer (disk) |"
                + " open/start-up ms | peak RSS client JVM MB | peak RSS server MB |\n|---|---|---|---|---|---|---|---|\n");
        double bestDisk = best(results, "disk.bytes_per_doc", false);
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(),
                    f0(num(r.get("settle.ms"))), f0(num(r.get("disk.bytes_per_doc"))), f0(num(r.get("table.bytes_per_doc"))),
                    ratio(num(r.get("disk.bytes_per_doc")), bestDisk), f0(num(r.get("open.ms"))),
                    f0(num(r.get("rss.client_kb")) / 1024), mbOrDash(num(r.get("rss.server_kb")))));
        }
        md.append("\nPeak RSS is VmHWM of /proc: the client JVM runs the bench (for `ours` and `rocksdb` the system"
                + " itself, in-process, -Xmx2g, heap sized by GC ergonomics); the server column is the packaged jar"
                + " for `http` and the sum over the postmaster and its children for `postgres` (shared buffers"
                + " touched by several processes are counted once per process: an upper bound).\n");
        md.append("Settle: the time of what each system did after the last ingest before its size was measured"
                + " (column above; this store: seal, then wait for the background compaction into format v2;"
                + " RocksDB's memtable flush is where it compresses what its ingest had only logged).\n");
        md.append("Open: this store SegmentStore.open up to the first get; RocksDB RocksDB.open; PostgreSQL pg_ctl"
                + " start (no wait) up to the first answered connection + SELECT 1, after a fast shutdown; HTTP: the"
                + " packaged jar from process start to the first answered GET (JVM start included).\n");
        return md.toString();
    }

    /** Rows of a whole-day query (key prefix {@code needle} or {@code count}): matches, ms, docs/s, speed-ups. */
    private static void wholeDay(StringBuilder md, Map<String, Map<String, String>> results, String key,
                                 String docsColumn) {
        md.append("| system | ").append(docsColumn).append(" | matches | ms | docs/s | × PostgreSQL | × RocksDB |\n"
                + "|---|---|---|---|---|---|---|\n");
        double postgres = num(results.getOrDefault("postgres", Map.of()).get(key + ".ms"));
        double rocks = num(results.getOrDefault("rocksdb", Map.of()).get(key + ".ms"));
        String agreed = first(results, key + ".matches");
        for (Map.Entry<String, Map<String, String>> e : results.entrySet()) {
            Map<String, String> r = e.getValue();
            double ms = num(r.get(key + ".ms"));
            String matches = r.getOrDefault(key + ".matches", "-");
            if (r.containsKey(key + ".matches") && !matches.equals(agreed)) {
                matches += " (**differs**)";
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", e.getKey(),
                    f0(num(r.get(key + ".docs"))), matches, f1(ms),
                    f0(num(r.get(key + ".docs_s"))), ratio(postgres, ms), ratio(rocks, ms)));
        }
    }

    /** The first system's value of {@code key} (e.g. the needle's trace id, the same for all), or "-". */
    private static String first(Map<String, Map<String, String>> results, String key) {
        for (Map<String, String> r : results.values()) {
            if (r.containsKey(key)) {
                return r.get(key);
            }
        }
        return "-";
    }

    private static double avg(Map<String, Map<String, String>> results, String key) {
        for (Map<String, String> r : results.values()) {
            if (r.containsKey(key)) {
                return num(r.get(key));
            }
        }
        return Double.NaN;
    }

    private static double best(Map<String, Map<String, String>> results, String key, boolean higher) {
        List<Double> values = new ArrayList<>();
        for (String peer : PEERS) {
            Map<String, String> r = results.get(peer);
            if (r != null && r.containsKey(key)) {
                values.add(num(r.get(key)));
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        return higher ? values.stream().mapToDouble(d -> d).max().orElseThrow()
                : values.stream().mapToDouble(d -> d).min().orElseThrow();
    }

    static double num(String value) {
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String f0(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String mbOrDash(double kb) {
        return Double.isNaN(kb) || kb < 0 ? "- (in-process)" : f0(kb / 1024);
    }

    private static String ratio(double v, double base) {
        return Double.isNaN(v) || Double.isNaN(base) || base == 0 ? "-" : String.format(Locale.ROOT, "%.2f", v / base);
    }
}
