package io.stupiddb.segments.bench;

import io.stupiddb.segments.format.Codec;
import org.HdrHistogram.Histogram;
import org.rocksdb.RocksDB;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Issue 7: this store side by side with what users would pick instead, in one run on one machine
 * with one workload ({@link Dataset}, {@link QuerySet}): PostgreSQL with hourly partitions and
 * RocksDB with FIFO/TTL, plus this store in-process and over HTTP. Each system runs in its own
 * child JVM (peak RSS is then its own), one client thread, the same documents in the same order.
 * Physical anchors (raw fsync'd sequential write, raw mmap read of the same bytes) are measured in
 * the same run. Writes a Markdown report (default bench/target/peers.md).
 *
 * <pre>
 *   PeersBench [--quick] [--count N] [--systems ours,ours-none,http,postgres,rocksdb] [--out FILE]
 * </pre>
 */
public final class PeersBench {
    static final List<String> ALL = List.of("ours", "ours-none", "http", "postgres", "rocksdb");

    private PeersBench() {
    }

    record Settings(boolean quick, int count, int batch100Count, int batch1Count, int gets) {
        static Settings of(boolean quick, Integer count) {
            int n = count != null ? count : quick ? 50_000 : 1_000_000;
            return new Settings(quick, n, Math.min(n, quick ? 50_000 : 200_000), Math.min(n, quick ? 2_000 : 5_000),
                    quick ? 20_000 : 200_000);
        }

        /** Ingest runs: {durable?1:0, batch, count}; the last one (durable, batch 1,000, all) is kept for the reads. */
        List<int[]> runs() {
            return List.of(new int[] {0, 1, batch1Count}, new int[] {0, 100, batch100Count},
                    new int[] {0, 1000, count}, new int[] {1, 1, batch1Count}, new int[] {1, 100, batch100Count},
                    new int[] {1, 1000, count});
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1]);
            return;
        }
        List<String> list = Arrays.asList(args);
        boolean quick = list.contains("--quick");
        Integer count = list.contains("--count") ? Integer.valueOf(list.get(list.indexOf("--count") + 1)) : null;
        List<String> systems = list.contains("--systems")
                ? Arrays.asList(list.get(list.indexOf("--systems") + 1).split(",")) : ALL;
        Path out = Path.of(list.contains("--out") ? list.get(list.indexOf("--out") + 1) : "bench/target/peers.md");
        Settings settings = Settings.of(quick, count);
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "peers-bench");
        long start = (System.currentTimeMillis() / Dataset.HOUR - 25) * Dataset.HOUR;
        long span = 24 * Dataset.HOUR;
        System.out.printf("# Peers benchmark: %d documents over 24 h, dir %s%n", settings.count, root);
        long t0 = System.nanoTime();
        Dataset data = Dataset.generate(root.resolve("dataset.bin"), settings.count, start, span);
        System.out.printf("data set generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Map<String, String> anchors = anchors(data, settings, root);
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String system : systems) {
            results.put(system, runChild(system, data, settings, root));
        }
        String report = Report.markdown(settings, data, anchors, results, String.join(" ", args));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("report written to " + out.toAbsolutePath());
        Sys.deleteAll(root);
    }

    // ------------------------------------------------------------------ anchors

    /** Raw fsync'd sequential write of the JSON bytes (fsync per batch) and raw mmap read of them. */
    private static Map<String, String> anchors(Dataset data, Settings settings, Path root) throws IOException {
        Map<String, String> anchors = new LinkedHashMap<>();
        for (int[] run : settings.runs()) {
            Path file = root.resolve("anchor.bin");
            Files.deleteIfExists(file);
            long bytes = 0;
            long nanos = 0;
            try (Dataset.Reader reader = data.reader(run[2]);
                 FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (List<Dataset.Doc> batch = reader.next(run[1]); !batch.isEmpty(); batch = reader.next(run[1])) {
                    int size = 0;
                    for (Dataset.Doc doc : batch) {
                        size += doc.json().length;
                    }
                    ByteBuffer buffer = ByteBuffer.allocate(size);
                    for (Dataset.Doc doc : batch) {
                        buffer.put(doc.json());
                    }
                    buffer.flip();
                    long begin = System.nanoTime();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    if (run[0] == 1) {
                        channel.force(false);
                    }
                    nanos += System.nanoTime() - begin;
                    bytes += size;
                }
            }
            String key = "ingest." + (run[0] == 1 ? "fsync" : "nofsync") + "." + run[1];
            anchors.put(key + ".docs_s", String.valueOf(run[2] / (nanos / 1e9)));
            anchors.put(key + ".mb_s", String.valueOf(bytes / (nanos / 1e9) / 1e6));
            System.out.printf("anchor raw write %s: %.0f docs/s, %.1f MB/s%n", key, run[2] / (nanos / 1e9),
                    bytes / (nanos / 1e9) / 1e6);
        }
        Path file = root.resolve("anchor.bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            long best = Long.MAX_VALUE;
            long sum = 0;
            long warm = System.nanoTime() + 1_000_000_000L; // at least 1 s and 5 rounds: JIT and page faults
            for (int round = 0; round < 5 || System.nanoTime() < warm; round++) {
                long begin = System.nanoTime();
                for (long at = 0; at + 8 <= mapped.byteSize(); at += 8) {
                    sum += mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
                }
                best = Math.min(best, System.nanoTime() - begin);
            }
            anchors.put("mmap.mb_s", String.valueOf(mapped.byteSize() / (best / 1e9) / 1e6));
            anchors.put("mmap.checksum", String.valueOf(sum));
            System.out.printf("anchor mmap read: %.0f MB/s%n", mapped.byteSize() / (best / 1e9) / 1e6);
        }
        Files.delete(file);
        return anchors;
    }

    // ------------------------------------------------------------------ children

    private static Map<String, String> runChild(String system, Dataset data, Settings settings, Path root)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dmsgpack.universal-buffer=true", "-Xmx2g",
                "-Dpeers.dataset=" + data.file, "-Dpeers.count=" + settings.count, "-Dpeers.start=" + data.start,
                "-Dpeers.span=" + data.span, "-Dpeers.root=" + root, "-Dpeers.quick=" + settings.quick));
        String jfr = System.getProperty("peers.jfr");
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + "-" + system + ".jfr,settings=profile");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeersBench.class.getName(), "--child",
                system));
        System.out.println("## " + system);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("  " + line);
                if (line.startsWith("RESULT ")) {
                    String[] kv = line.substring(7).split("\t", 2);
                    result.put(kv[0], kv[1]);
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0) {
            result.put("error", "child exited with " + exit);
        }
        return result;
    }

    private static void emit(String key, Object value) {
        System.out.println("RESULT " + key + "\t" + value);
    }

    private static void child(String system) throws Exception {
        boolean quick = Boolean.getBoolean("peers.quick");
        Settings settings = Settings.of(quick, Integer.getInteger("peers.count"));
        Dataset data = new Dataset(Path.of(System.getProperty("peers.dataset")), settings.count,
                Long.getLong("peers.start"), Long.getLong("peers.span"));
        Path root = Path.of(System.getProperty("peers.root"));
        Peer peer = switch (system) {
            case "ours" -> new OurStorePeer(data.start, Codec.ZSTD);
            case "ours-none" -> new OurStorePeer(data.start, Codec.NONE);
            case "http" -> new HttpPeer(data);
            case "postgres" -> new PostgresPeer(data, Files.createDirectories(root.resolve("postgres")));
            case "rocksdb" -> new RocksDbPeer();
            default -> throw new IllegalArgumentException("unknown system " + system);
        };
        emit("name", peer.name());
        emit("describe", peer.describe());
        long scanFrom = QuerySet.scanFrom(data);
        long scanTo = QuerySet.scanTo(data);
        long[] ts = new long[settings.count];
        long[] msb = new long[settings.count];
        long[] lsb = new long[settings.count];
        long hourDocs = 0;
        long hourJson = 0;
        long firstHourDocs = 0;
        long jsonTotal = 0;
        // Warm-up (untimed): the JIT compiles this store's write path, and the client side of the others,
        // before the first measured run; without it the first run (batch 1) measures an interpreter.
        peer.create(root.resolve(system + "-warmup"), false);
        try (Dataset.Reader reader = data.reader(Math.min(settings.count, 20_000))) {
            for (List<Dataset.Doc> batch = reader.next(100); !batch.isEmpty(); batch = reader.next(100)) {
                peer.ingest(batch);
            }
        }
        peer.drop(false);
        List<int[]> runs = settings.runs();
        for (int r = 0; r < runs.size(); r++) {
            int[] run = runs.get(r);
            boolean last = r == runs.size() - 1;
            Path dir = root.resolve(system + "-" + r);
            peer.create(dir, run[0] == 1);
            long nanos = 0;
            long bytes = 0;
            int at = 0;
            try (Dataset.Reader reader = data.reader(run[2])) {
                for (List<Dataset.Doc> batch = reader.next(run[1]); !batch.isEmpty(); batch = reader.next(run[1])) {
                    long begin = System.nanoTime();
                    peer.ingest(batch);
                    nanos += System.nanoTime() - begin;
                    for (Dataset.Doc doc : batch) {
                        bytes += doc.json().length;
                        if (last) {
                            ts[at] = doc.timestamp();
                            msb[at] = doc.idMsb();
                            lsb[at] = doc.idLsb();
                            if (doc.timestamp() >= scanFrom && doc.timestamp() < scanTo) {
                                hourDocs++;
                                hourJson += doc.json().length;
                            }
                            if (doc.timestamp() < data.start + Dataset.HOUR) {
                                firstHourDocs++;
                            }
                        }
                        at++;
                    }
                }
            }
            String key = "ingest." + (run[0] == 1 ? "fsync" : "nofsync") + "." + run[1];
            emit(key + ".count", run[2]);
            emit(key + ".docs_s", run[2] / (nanos / 1e9));
            emit(key + ".mb_s", bytes / (nanos / 1e9) / 1e6);
            if (last) {
                jsonTotal = bytes;
            } else {
                peer.drop(false);
            }
        }
        long settleStart = System.nanoTime();
        emit("settle", peer.settle());
        emit("settle.ms", (System.nanoTime() - settleStart) / 1e6);
        long disk = peer.diskBytes();
        emit("disk.bytes_per_doc", (double) disk / settings.count);
        long table = peer.tableBytes();
        if (table >= 0) {
            emit("table.bytes_per_doc", (double) table / settings.count);
        }
        emit("json.bytes_per_doc", (double) jsonTotal / settings.count);

        // Query 1: get by random id.
        SplittableRandom random = new SplittableRandom(11);
        long getWarm = System.nanoTime() + 2_000_000_000L; // at least 2 s and gets/4 (JIT)
        for (int i = 0; i < settings.gets / 4 || System.nanoTime() < getWarm; i++) {
            int index = random.nextInt(settings.count);
            check(peer.get(index, new Dataset.Doc(ts[index], msb[index], lsb[index], null, null)), index);
        }
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        long begin = System.nanoTime();
        for (int i = 0; i < settings.gets; i++) {
            int index = random.nextInt(settings.count);
            Dataset.Doc ref = new Dataset.Doc(ts[index], msb[index], lsb[index], null, null);
            long t = System.nanoTime();
            boolean found = peer.get(index, ref);
            histogram.recordValue(System.nanoTime() - t);
            check(found, index);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        emit("get.ops_s", settings.gets / seconds);
        emit("get.p50_us", histogram.getValueAtPercentile(50) / 1e3);
        emit("get.p99_us", histogram.getValueAtPercentile(99) / 1e3);

        // Query 2: one hour, two predicates; warm-up for at least 3 s (at least 3 rounds: page cache and JIT;
        // with 1 s this store's scan was still partly interpreted, 8x slower), then the best of 5.
        long[] bestAndMatches = QuerySet.bestOf(() -> peer.scan(scanFrom, scanTo));
        long best = bestAndMatches[0];
        emit("scan.docs", hourDocs);
        emit("scan.matches", bestAndMatches[1]);
        emit("scan.docs_s", hourDocs / (best / 1e9));
        emit("scan.mb_s", hourJson / (best / 1e9) / 1e6);
        emit("scan.ms", best / 1e6);

        // Start-up with the full data set.
        peer.close();
        begin = System.nanoTime();
        peer.reopen();
        emit("open.ms", (System.nanoTime() - begin) / 1e6);

        // Query 3: evict the oldest hour.
        long before = peer.diskBytes();
        begin = System.nanoTime();
        String how = peer.evictOldestHour(data.start, data.start + Dataset.HOUR);
        double evictMs = (System.nanoTime() - begin) / 1e6;
        if (how != null) {
            long after = peer.diskBytes();
            emit("evict.ms", evictMs);
            emit("evict.freed_bytes", before - after);
            // The hour's share of what holds the data: table + indexes where the system tells them apart
            // (PostgreSQL's data directory also holds WAL and catalogs, which a DROP does not touch).
            long holding = peer.tableBytes() >= 0 ? table : before;
            emit("evict.hour_share_bytes", (double) holding * firstHourDocs / settings.count);
            emit("evict.how", how);
        }
        emit("rss.client_kb", Sys.statusField(ProcessHandle.current().pid(), "VmHWM:"));
        emit("rss.server_kb", peer.serverPeakRssKb());
        peer.drop(true);
    }

    private static void check(boolean found, int index) {
        if (!found) {
            throw new IllegalStateException("document " + index + " not found");
        }
    }

    static String machine() {
        String cpu = Sys.runQuietly(List.of("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"));
        String mem = Sys.runQuietly(List.of("sh", "-c", "grep MemTotal /proc/meminfo | awk '{print $2/1048576 \" GiB\"}'"));
        return String.format(Locale.ROOT, "%s cores (`nproc`), %s, %s RAM, kernel %s, file system of the data: %s",
                Sys.runQuietly(List.of("nproc")), cpu.trim(), mem,
                Sys.runQuietly(List.of("uname", "-r")),
                Sys.runQuietly(List.of("sh", "-c", "df -T " + System.getProperty("bench.dir", "/tmp")
                        + " | tail -1 | awk '{print $2 \" on \" $1}'")));
    }

    static String versions() {
        RocksDB.loadLibrary();
        return "JDK " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + "; RocksDB " + RocksDB.rocksdbVersion() + " (rocksdbjni); "
                + Sys.runQuietly(List.of(PostgresPeer.BIN.resolve("postgres").toString(), "--version"))
                + "; PostgreSQL JDBC " + org.postgresql.Driver.getVersion();
    }

    static String now() {
        return Instant.now().toString();
    }
}
