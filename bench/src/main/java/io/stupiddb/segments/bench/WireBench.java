package io.stupiddb.segments.bench;

import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.testing.ServiceLauncher;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14, "over the wire": the packaged service over HTTP measured with load tools no one here
 * wrote, side by side with PostgreSQL in one run, on the same documents. GET by id: {@code wrk}
 * with random existing ids against {@code pgbench -M prepared} running PeersBench's point select;
 * ingest: NDJSON batches posted by wrk against the engine in-process and PostgreSQL's COPY (JDBC),
 * all durable; the 1-hour filtered NDJSON scan over HTTP against the same scan in-process on the
 * same data directory; then start-up and memory ({@link WireStartup}). Prints Markdown and writes
 * it to {@code bench/target/wire.md}. Single-threaded driver; the loads run their own threads.
 */
public final class WireBench {
    private static final int[] CONNECTIONS = {1, 16, 64};
    private static final int[] BATCHES = {100, 1000};
    private static final Pattern SQL_VARIABLE = Pattern.compile("(?<![:\\w]):([a-z]\\w*)(::bigint)?");

    private WireBench() {
    }

    public static void main(String[] args) throws Exception {
        WireTools.requireTools();
        WireFloor.requireBuilt();
        boolean quick = Arrays.asList(args).contains("--quick");
        int count = quick ? 20_000 : 100_000;
        int seconds = quick ? 5 : 20;
        Duration warmUp = Duration.ofSeconds(quick ? 2 : 5);
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "wire-bench");
        long span = 2 * Dataset.HOUR;
        long start = (System.currentTimeMillis() - span - 60_000) / 1000 * 1000;
        Dataset data = Dataset.generateRegular(root.resolve("dataset.bin"), count, start, span);
        StringBuilder md = new StringBuilder();
        md.append("# Over the wire (`bench/run wire").append(quick ? " --quick" : "").append("`)\n\n")
                .append("- run: ").append(PeersBench.now()).append(", load average before: ").append(loadAverage())
                .append("\n- machine: ").append(PeersBench.machine())
                .append("\n- tools: ").append(Sys.runQuietly(List.of("sh", "-c", WireTools.WRK + " --version 2>&1 | head -1"))
                        .replaceAll(" Copyright.*", ""))
                .append("; ").append(Sys.runQuietly(List.of(WireTools.PGBENCH.toString(), "--version")))
                .append(String.format(Locale.ROOT, "%n- data: %,d LogWorkload documents over 2 h, loaded in batches"
                        + " of 1,000 into both systems; every run %d s after a warm-up; durable writes (segments.fsync="
                        + "always; PostgreSQL synchronous_commit=on)%n%n", count, seconds));

        try {
            md.append(measure(root, data, quick, count, seconds, warmUp));
        } finally {
            Sys.deleteAll(root);
        }
        md.append("\nload average after: ").append(loadAverage()).append('\n');
        System.out.print(md);
        Path out = Path.of("bench", "target", "wire.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md);
        System.out.println("\n(written to " + out + ")");
    }

    /** How every latency of the report is counted (since round 11). */
    private static final String LIKE_WRK = "wrk corrects its latency histogram for coordinated omission before it"
            + " reports (a request that took n times the run's mean interval per connection also counts the n-1"
            + " requests that connection would have sent meanwhile, at latencies n-1, n-2, ... intervals), so a stall"
            + " of the server weighs by its length; pgbench and the bench's own clients record each call once, so"
            + " their latencies get the same correction here (HdrHistogram's, with wrk's interval) and every p50/p99"
            + " compares like with like.";

    /** Every section of the report after its header; the systems stopped and their data deleted at the end. */
    private static String measure(Path root, Dataset data, boolean quick, int count, int seconds, Duration warmUp)
            throws Exception {
        StringBuilder md = new StringBuilder();
        HttpPeer http = new HttpPeer(data);
        PostgresPeer postgres = new PostgresPeer(data, Files.createDirectories(root.resolve("postgres")));
        long idleRssKb;
        long loadRssKb;
        try (ServiceLauncher floor = WireFloor.launcher(root.resolve("floor-load"))) {
            floor.start(HttpBench.START_TIMEOUT);
            http.create(root.resolve("service"), true);
            postgres.create(null, true);
            try (Dataset.Reader reader = data.reader(count)) {
                for (List<Dataset.Doc> batch = reader.next(1000); !batch.isEmpty(); batch = reader.next(1000)) {
                    http.ingest(batch);
                    postgres.ingest(batch);
                }
            }
            postgres.settle();
            long pid = http.service().pid();
            idleRssKb = Sys.statusField(pid, "VmRSS:");
            md.append(gets(root, http, postgres, data, seconds));
            loadRssKb = Sys.statusField(pid, "VmHWM:");
            // before the ingest runs add (many copies of) documents to the hour
            String scan = scan(root, http, floor, data);
            md.append(ingest(root, http, floor, postgres, data, seconds, warmUp));
            md.append(scan);
        } finally {
            http.drop(true);
            postgres.drop(true);
        }
        return md.append(WireStartup.run(root.resolve("startup"), data, quick, idleRssKb, loadRssKb,
                root.resolve("batch-100-0.ndjson"))).toString();
    }

    /** GET by id: wrk against the service, pgbench against PostgreSQL, each connection count in turn. */
    private static String gets(Path root, HttpPeer http, PostgresPeer postgres, Dataset data, int seconds)
            throws Exception {
        Path ids = root.resolve("ids.txt");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < data.count; i++) {
            lines.append(http.id(i)).append('\n');
        }
        Files.writeString(ids, lines);
        Path lua = WireTools.script(root, "wire.lua");
        Path sql = WireTools.script(root, "get.sql");
        Map<String, Long> variables = Map.of("n", (long) data.count, "start", data.start, "step", data.span / data.count);
        checkPgbenchQuery(postgres, sql, data, variables);
        String base = "http://127.0.0.1:" + http.service().apiPort();
        // untimed warm-up of both (JIT, caches, PostgreSQL's plan), as long as one measured run
        WireTools.wrk(base, lua, 16, seconds, List.of("get", ids.toString()));
        WireTools.pgbench(postgres.port(), sql, 16, seconds, variables, root.resolve("pgbench"));
        StringBuilder md = new StringBuilder("## GET by id: `wrk` vs `pgbench -M prepared`\n\n"
                + "| connections | HTTP req/s | p50 µs | p99 µs | PostgreSQL tx/s | p50 µs | p99 µs | p99 µs, each tx once"
                + " | req/s × PG | p99 × PG | `ping` req/s | p50 µs | p99 µs |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int connections : CONNECTIONS) {
            WireTools.Load ours = WireTools.wrk(base, lua, connections, seconds, List.of("get", ids.toString()));
            WireTools.Load pg = WireTools.pgbench(postgres.port(), sql, connections, seconds, variables,
                    root.resolve("pgbench"));
            WireTools.Load ping = WireTools.wrk(base, lua, connections, seconds, List.of("ping"));
            md.append(String.format(Locale.ROOT,
                    "| %d | %,.0f | %.0f | %.0f | %,.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %,.0f | %.0f | %.0f |%n",
                    connections, ours.rate(), ours.p50Us(), ours.p99Us(), pg.rate(), pg.p50Us(), pg.p99Us(),
                    pg.p99RawUs(), ours.rate() / pg.rate(), ours.p99Us() / pg.p99Us(), ping.rate(), ping.p50Us(),
                    ping.p99Us()));
        }
        return md.append("\n`ping`: `GET /api/v1/ping` on the same service and connections right after (204, touches"
                + " nothing; a Quarkus REST resource, where the GET is a route in front of it): the HTTP stack's own"
                + " figures at that load. Latencies: " + LIKE_WRK + " \"each tx once\": PostgreSQL's p99 without it"
                + " (before round 11 the only one reported).\n\n").toString();
    }

    /**
     * Runs get.sql's SELECT over JDBC for a few random rows, with the variables substituted the way
     * pgbench does: a pgbench run whose query found nothing would measure nothing.
     */
    private static void checkPgbenchQuery(PostgresPeer postgres, Path script, Dataset data, Map<String, Long> variables)
            throws Exception {
        String select = Files.readAllLines(script).stream().filter(l -> l.startsWith("SELECT")).findFirst()
                .orElseThrow();
        List<String> order = new ArrayList<>();
        Matcher m = SQL_VARIABLE.matcher(select);
        while (m.find()) {
            order.add(m.group(1));
        }
        String jdbc = SQL_VARIABLE.matcher(select).replaceAll("?::bigint").replaceAll(";\\s*$", "");
        SplittableRandom random = new SplittableRandom(5);
        try (Connection c = postgres.connect(); PreparedStatement s = c.prepareStatement(jdbc)) {
            for (int k = 0; k < 20; k++) {
                long i = random.nextInt(data.count);
                long ms = variables.get("start") + i * variables.get("step");
                Map<String, Long> values = Map.of("i", i, "ms", ms, "hi", (ms << 16) | 0x7000 | (i & 0xFFF),
                        "lo", Long.MIN_VALUE | i);
                for (int p = 0; p < order.size(); p++) {
                    s.setLong(p + 1, values.get(order.get(p)));
                }
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("get.sql finds no row " + i + ": " + jdbc);
                    }
                }
            }
        }
    }

    /**
     * Ingest at each batch size and connection count: wrk over HTTP, the engine in-process,
     * PostgreSQL's COPY, and wrk posting the same bodies to the framework alone ({@link WireFloor}).
     */
    private static String ingest(Path root, HttpPeer http, ServiceLauncher floor, PostgresPeer postgres, Dataset data,
                                 int seconds, Duration warmUp) throws Exception {
        StringBuilder md = new StringBuilder("## Ingest, durable: NDJSON over HTTP (`wrk`) vs in-process vs PostgreSQL"
                + " COPY (JDBC)\n\n| batch | connections | HTTP docs/s | p50 ms | p99 ms | in-process docs/s | COPY docs/s"
                + " | p50 ms | p99 ms | HTTP × in-process | HTTP × COPY | floor docs/s | floor × in-process |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        String base = "http://127.0.0.1:" + http.service().apiPort();
        String floorBase = "http://127.0.0.1:" + floor.apiPort();
        Path lua = WireTools.script(root, "wire.lua");
        try (Connection admin = postgres.connect(); Statement s = admin.createStatement();
             SegmentStore engine = SegmentStore.open(StoreConfig.builder(root.resolve("engine")).minFreeDisk(0).build(),
                     InstantSource.system())) {
            // ids assigned by the server, as this store does; in arrival order like UUIDv7
            s.execute("CREATE SEQUENCE IF NOT EXISTS docs_ingest_seq");
            Quiet quiet = new Quiet(http, engine, s);
            for (int batch : BATCHES) {
                int bodies = Math.max(4, Math.min(20, data.count / batch));
                List<List<DocumentToWrite>> writes = new ArrayList<>();
                List<byte[]> csvs = new ArrayList<>();
                List<String> files = new ArrayList<>(List.of("post"));
                try (Dataset.Reader reader = data.reader(bodies * batch)) {
                    for (int b = 0; b < bodies; b++) {
                        List<Dataset.Doc> docs = reader.next(batch);
                        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
                        List<DocumentToWrite> write = new ArrayList<>();
                        for (Dataset.Doc doc : docs) {
                            ndjson.writeBytes(doc.json());
                            ndjson.write('\n');
                            write.add(DocumentToWrite.at(doc.msgpack(), doc.timestamp()));
                        }
                        Path file = root.resolve("batch-" + batch + "-" + b + ".ndjson");
                        Files.write(file, ndjson.toByteArray());
                        files.add(file.toString());
                        writes.add(write);
                        csvs.add(PostgresPeer.csv(docs, false));
                    }
                }
                List<String> discards = new ArrayList<>(files);
                discards.set(0, "discard");
                WireTools.wrk(base, lua, 1, (int) warmUp.toSeconds(), files);
                WireTools.wrk(floorBase, lua, 1, (int) warmUp.toSeconds(), discards);
                for (int connections : CONNECTIONS) {
                    quiet.await();
                    WireTools.Load ours = WireTools.wrk(base, lua, connections, seconds, files);
                    quiet.await();
                    WireTools.Load bare = WireTools.wrk(floorBase, lua, connections, seconds, discards);
                    quiet.await();
                    WireTools.Load inProcess = ClosedLoop.run(connections, warmUp, Duration.ofSeconds(seconds),
                            (client, call) -> engine.write(writes.get((int) ((client + call) % writes.size()))));
                    postgres.createTable(s, "docs_ingest", "DEFAULT lpad(to_hex(nextval('docs_ingest_seq')), 32, '0')::uuid");
                    postgres.disableAutovacuum(s, "docs_ingest");
                    quiet.await();
                    WireTools.Load pg = copy(postgres, connections, warmUp, seconds, csvs);
                    md.append(String.format(Locale.ROOT,
                            "| %,d | %d | %,.0f | %.1f | %.1f | %,.0f | %,.0f | %.1f | %.1f | %.2f | %.2f | %,.0f | %.2f |%n",
                            batch, connections, ours.rate() * batch, ours.p50Us() / 1e3, ours.p99Us() / 1e3,
                            inProcess.rate() * batch, pg.rate() * batch, pg.p50Us() / 1e3, pg.p99Us() / 1e3,
                            ours.rate() / inProcess.rate(), ours.rate() / pg.rate(), bare.rate() * batch,
                            bare.rate() / inProcess.rate()));
                }
            }
            s.execute("DROP TABLE docs_ingest");
            md.append('\n').append(quiet.note()).append('\n');
        }
        return md.append("\nfloor: `wrk` posting the same bodies to `bench/floor` (the service's Quarkus extensions"
                + " and settings, no store), which reads each body to the end on a worker thread and answers 201: the"
                + " most any HTTP ingest on this stack and machine could reach; \"floor × in-process\" bounds \"HTTP ×"
                + " in-process\". Latencies: " + LIKE_WRK + "\n\n").toString();
    }

    /** COPY (csv) + commit per batch, one JDBC connection per client. */
    private static WireTools.Load copy(PostgresPeer postgres, int clients, Duration warmUp, int seconds,
                                       List<byte[]> csvs) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                Connection connection = postgres.connect();
                connection.setAutoCommit(false);
                connections.add(connection);
            }
            return ClosedLoop.run(clients, warmUp, Duration.ofSeconds(seconds), (client, call) -> {
                Connection connection = connections.get(client);
                connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(
                        "COPY docs_ingest (ts, doc) FROM STDIN (FORMAT csv)",
                        new java.io.ByteArrayInputStream(csvs.get((int) ((client + call) % csvs.size()))));
                connection.commit();
            });
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    /**
     * The 1-hour filtered scan (PeersBench's query 2) as NDJSON over HTTP, then in-process on the same
     * directory. Over HTTP twice: first as the load left the hour (in the active segment, records
     * compressed one by one), then after the service sealed it and compacted it (column blocks, one
     * zstd frame per block); the in-process scan reads that same compacted directory, so the ratio
     * compares the two paths over the same bytes. The HTTP client is {@code curl} (a process of its
     * own, timed by itself), and, for comparison with rounds 1-7, the bench's own Java HttpClient.
     */
    private static String scan(Path root, HttpPeer http, ServiceLauncher floor, Dataset data) throws Exception {
        long from = data.start + Dataset.HOUR / 2;
        long to = from + Dataset.HOUR;
        URI query = http.scanUri(from, to);
        long[] asLoaded = QueryTimer.bestAndMatches(() -> http.scan(from, to));
        long[] asLoadedCurl = curlScan(query);
        http.settle(); // sealed and compacted, as the hour is once it has aged
        long[] overHttp = QueryTimer.bestAndMatches(() -> http.scan(from, to));
        long[] overCurl = curlScan(query);
        // the same answer's bytes sent by the framework alone, read by the same clients
        Path answer = root.resolve("scan.ndjson");
        try (OutputStream out = Files.newOutputStream(answer)) {
            http.saveScan(from, to, out);
        }
        URI replay = floor.api("/floor/replay?file=" + URLEncoder.encode(answer.toString(), StandardCharsets.UTF_8));
        long[] bare = QueryTimer.bestAndMatches(() -> HttpPeer.ndjson(replay, null));
        long[] bareCurl = curlScan(replay);
        http.close(); // one store per directory: the service lets go of it first
        long[] inProcess;
        try (SegmentStore store = SegmentStore.open(StoreConfig.builder(http.dataDir()).minFreeDisk(0).build(),
                InstantSource.system())) {
            inProcess = QueryTimer.bestAndMatches(() -> OurStorePeer.scan(store, from, to));
        }
        http.reopen(); // the ingest runs next
        if (overHttp[1] != inProcess[1] || asLoaded[1] != inProcess[1] || bare[1] != inProcess[1]) {
            throw new IllegalStateException("the scan found " + asLoaded[1] + " and " + overHttp[1] + " over HTTP, "
                    + inProcess[1] + " in-process; the floor replayed " + bare[1] + " lines");
        }
        long size = Files.size(answer);
        if (asLoadedCurl[1] != size || overCurl[1] != size || bareCurl[1] != size) {
            throw new IllegalStateException("curl read " + asLoadedCurl[1] + ", " + overCurl[1] + " and " + bareCurl[1]
                    + " bytes of the scan's answer, the Java client " + size);
        }
        long hourDocs = data.count / 2;
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "## 1-hour filtered scan (`%s`), %,d matches"
                + " of the hour's %,d documents, %.1f MB of NDJSON, best of 5 after ≥ 3 s of warm-up%n%n"
                + "| path | client | ms | docs/s of the hour | ratio |%n|---|---|---|---|---|%n",
                QuerySet.FILTER, overHttp[1], hourDocs, size / 1e6));
        String compacted = "HTTP, NDJSON stream (`Accept: application/x-ndjson`), sealed and compacted";
        String loaded = "HTTP, NDJSON stream, the hour as loaded (active segment, records compressed one by one)";
        String floorRow = "floor: the same answer's bytes sent from memory by `bench/floor` (64 KiB writes)";
        scanRow(md, "in-process (`SegmentStore.scan`, same data directory, sealed and compacted)", "-",
                inProcess[0], inProcess[0], hourDocs);
        scanRow(md, compacted, "curl", overCurl[0], inProcess[0], hourDocs);
        scanRow(md, loaded, "curl", asLoadedCurl[0], inProcess[0], hourDocs);
        scanRow(md, floorRow, "curl", bareCurl[0], inProcess[0], hourDocs);
        scanRow(md, compacted, "Java HttpClient", overHttp[0], inProcess[0], hourDocs);
        scanRow(md, loaded, "Java HttpClient", asLoaded[0], inProcess[0], hourDocs);
        scanRow(md, floorRow, "Java HttpClient", bare[0], inProcess[0], hourDocs);
        return md.append(String.format(Locale.ROOT, "%ncurl: `curl -s -o /dev/null` per scan (a new connection),"
                + " timed by curl (`%%{time_total}`: the transfer, not the process start); its byte count must equal"
                + " the answer's. Java HttpClient: the bench's own client (rounds 1-7), one keep-alive connection,"
                + " counting lines in the bytes in the bench JVM. floor: what the framework and the client alone take"
                + " for the %.1f MB; its ratio bounds the ratio of any HTTP scan on this stack, machine and client.%n%n",
                size / 1e6)).toString();
    }

    /** One timed scan by curl: {nanoseconds (best of 5 after warm-up), bytes of the last answer}. */
    private static long[] curlScan(URI uri) throws Exception {
        QueryTimer.Timed timed = QueryTimer.selfTimed(() -> WireTools.curl(uri, "application/x-ndjson"));
        return new long[] {timed.nanos(), timed.result()[0]};
    }

    private static void scanRow(StringBuilder md, String path, String client, long nanos, long inProcessNanos,
                                long hourDocs) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %.2f |%n", path, client, nanos / 1e6,
                hourDocs / (nanos / 1e9), (double) inProcessNanos / nanos));
    }

    /**
     * What each ingest measurement waits for first, so that none pays for what the one before left
     * running: the service's and the in-process engine's compaction backlogs drained, PostgreSQL's
     * dirty buffers written (CHECKPOINT), then the machine idle for a second (≤ 10 % busy).
     */
    private static final class Quiet {
        private static final double IDLE = 0.10;
        private final HttpPeer http;
        private final SegmentStore engine;
        private final Statement postgres;
        private double busiest;
        private long waitedNanos;
        private int times;

        Quiet(HttpPeer http, SegmentStore engine, Statement postgres) {
            this.http = http;
            this.engine = engine;
            this.postgres = postgres;
        }

        void await() throws Exception {
            long start = System.nanoTime();
            http.awaitCompaction(Duration.ofMinutes(10));
            if (!engine.compaction().awaitIdle(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the in-process engine still compacting after 10 min");
            }
            postgres.execute("CHECKPOINT");
            busiest = Math.max(busiest, Sys.awaitIdle(IDLE, Duration.ofMinutes(1)));
            waitedNanos += System.nanoTime() - start;
            times++;
        }

        String note() {
            return String.format(Locale.ROOT, "Before each measurement (%d): both stores' compaction backlogs drained,"
                    + " PostgreSQL CHECKPOINT (autovacuum off for the ingest table), then the machine idle for a second"
                    + " (CPU ≤ %.0f %% busy; the busiest such second: %.1f %%); %.0f s of waiting in all.",
                    times, IDLE * 100, busiest * 100, waitedNanos / 1e9);
        }
    }

    static String loadAverage() {
        return Sys.runQuietly(List.of("sh", "-c", "cut -d' ' -f1-3 /proc/loadavg"));
    }
}
