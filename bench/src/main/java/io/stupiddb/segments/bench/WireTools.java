package io.stupiddb.segments.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load tools of {@link WireBench}, none of them ours: {@code wrk} (with the Lua scripts under
 * {@code bench/src/main/resources/wire/}) against the service, {@code pgbench -M prepared} against
 * PostgreSQL, {@code curl} as the client of a long NDJSON answer. Checks that the Debian packages providing them are installed (and installs nothing),
 * runs them as child processes and parses what they report into {@link Load}s. Stateless; every
 * method may be called from any thread.
 */
final class WireTools {
    static final Path WRK = Path.of(System.getProperty("wrk.bin", "/usr/bin/wrk"));
    static final Path PGBENCH = PostgresPeer.BIN.resolve("pgbench");
    static final Path CURL = Path.of(System.getProperty("curl.bin", "/usr/bin/curl"));
    private static final Pattern WIRE_LINE = Pattern.compile("^WIRE (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)$",
            Pattern.MULTILINE);
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    /**
     * What one closed-loop run measured: calls completed over seconds, latency percentiles in µs.
     * {@code p50Us} and {@code p99Us} are counted as wrk counts them: wrk corrects its histogram for
     * coordinated omission before it reports (wrk.c, {@code stats_correct}): a call that took n
     * times the run's mean interval per connection also counts the calls that connection would
     * have made meanwhile (latencies n-1, n-2, ... intervals), so a stall of the server weighs by
     * its length, not once. pgbench and the bench's own clients record each call once, so their
     * histograms get the same correction ({@link #countedLikeWrk}) and all p99s compare like with
     * like; {@code p99RawUs} is their p99 with each call counted once (NaN for wrk, which does not
     * report it).
     */
    record Load(long calls, double seconds, double p50Us, double p99Us, double p99RawUs) {
        double rate() {
            return calls / seconds;
        }

        /** A run whose latencies were recorded once each: its percentiles with and without wrk's correction. */
        static Load of(Histogram eachCallOnce, int connections, double seconds) {
            Histogram corrected = countedLikeWrk(eachCallOnce, connections, seconds);
            return new Load(eachCallOnce.getTotalCount(), seconds, corrected.getValueAtPercentile(50),
                    corrected.getValueAtPercentile(99), eachCallOnce.getValueAtPercentile(99));
        }
    }

    /**
     * {@code eachCallOnce} corrected for coordinated omission as wrk corrects its own (the expected
     * interval: the run's length over the calls per connection, as wrk computes it); HdrHistogram's
     * correction adds the same values (V-I, V-2I, ... while at least I).
     */
    static Histogram countedLikeWrk(Histogram eachCallOnce, int connections, double seconds) {
        long perConnection = eachCallOnce.getTotalCount() / connections;
        if (perConnection == 0) {
            return eachCallOnce.copy();
        }
        long intervalUs = Math.max(1, Math.round(seconds * 1e6 / perConnection));
        return eachCallOnce.copyCorrectedForCoordinatedOmission(intervalUs);
    }

    private WireTools() {
    }

    /**
     * Fails with the Debian packages to install when wrk, curl, pgbench or the PostgreSQL server are
     * missing: the bench never installs anything itself.
     */
    static void requireTools() {
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        if (!Files.isExecutable(WRK)) {
            missing.add("wrk (for " + WRK + ")");
            packages.add("wrk");
        }
        if (!Files.isExecutable(CURL)) {
            missing.add("curl (for " + CURL + ")");
            packages.add("curl");
        }
        if (!Files.isExecutable(PGBENCH) || !Files.isExecutable(PostgresPeer.BIN.resolve("initdb"))) {
            missing.add("postgresql-15 (for " + PGBENCH + " and the server)");
            packages.add("postgresql-15");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("bench/run wire needs the Debian packages " + String.join(", ", missing)
                    + ": install them (apt-get install -y " + String.join(" ", packages)
                    + ") and run it again; the bench installs nothing");
        }
    }

    /** Copies a script of {@code wire/} from the bench jar to {@code dir}; its path. */
    static Path script(Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = WireTools.class.getResourceAsStream("/wire/" + name)) {
            if (in == null) {
                throw new IOException("wire/" + name + " is missing from the bench jar");
            }
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    /** wrk threads for {@code connections}: one per core at most, never more than connections. */
    static int threads(int connections) {
        return Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Runs {@code wrk -s script} for {@code seconds} with {@code connections} keep-alive
     * connections against {@code baseUri}; script arguments after {@code --}. Fails on any non-2xx
     * answer or socket error: a figure of failed requests is no figure.
     */
    static Load wrk(String baseUri, Path script, int connections, int seconds, List<String> scriptArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(WRK.toString(), "-t" + threads(connections),
                "-c" + connections, "-d" + seconds + "s", "--timeout", "30s", "-s", script.toString(), baseUri, "--"));
        command.addAll(scriptArgs);
        String out = Sys.run(command);
        Matcher m = WIRE_LINE.matcher(out);
        if (!m.find()) {
            throw new IOException("wrk printed no WIRE line:\n" + out);
        }
        long requests = Long.parseLong(m.group(1));
        long status = Long.parseLong(m.group(5));
        long socket = Long.parseLong(m.group(6));
        if (status > 0 || socket > 0 || requests == 0) {
            throw new IOException("wrk: " + requests + " requests, " + status + " non-2xx answers, " + socket
                    + " socket errors:\n" + out);
        }
        return new Load(requests, Long.parseLong(m.group(2)) / 1e6, Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Double.NaN);
    }

    /**
     * One GET of {@code uri} by {@code curl} (a new connection; the body read to the end and
     * dropped), timed by curl itself from the start of the transfer to its last byte, so the
     * process start is not counted: {nanoseconds, bytes of the body}. Fails on any status but 200.
     */
    static long[] curl(URI uri, String accept) throws IOException, InterruptedException {
        String out = Sys.run(List.of(CURL.toString(), "-s", "-o", "/dev/null", "-H", "Accept: " + accept,
                "-w", "%{http_code} %{time_total} %{size_download}", uri.toString())).trim();
        String[] fields = out.split(" ");
        if (fields.length != 3 || !fields[0].equals("200")) {
            throw new IOException("curl " + uri + ": " + out);
        }
        return new long[] {Math.round(Double.parseDouble(fields[1]) * 1e9), Long.parseLong(fields[2])};
    }

    /**
     * Runs {@code pgbench -n -M prepared -f script} with {@code connections} clients for
     * {@code seconds} against the server on {@code port}, variables as {@code -D}; every
     * transaction's latency is logged ({@code -l}) so that p50 and p99 come from all of them,
     * counted as wrk counts its own ({@link Load}).
     * Fails when any transaction failed.
     */
    static Load pgbench(int port, Path script, int connections, int seconds, Map<String, Long> variables, Path logDir)
            throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Sys.deleteAll(logDir);
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>(List.of(PGBENCH.toString(), "-n", "-M", "prepared",
                "-c", String.valueOf(connections), "-j", String.valueOf(threads(connections)), "-T", String.valueOf(seconds),
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-f", script.toString(), "-l",
                "--log-prefix=" + logDir.resolve("tx")));
        variables.forEach((k, v) -> command.addAll(List.of("-D", k + "=" + v)));
        command.add("postgres");
        String out = Sys.run(command);
        Matcher tps = TPS.matcher(out);
        Matcher failed = FAILED.matcher(out);
        if (!tps.find() || (failed.find() && Long.parseLong(failed.group(1)) > 0)) {
            throw new IOException("pgbench failed or reported failed transactions:\n" + out);
        }
        Histogram latencies = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        try (var logs = Files.list(logDir)) {
            for (Path log : logs.toList()) {
                for (String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
                    // client_id transaction_no time_us script_no time_epoch time_us
                    latencies.recordValue(Long.parseLong(line.split(" ")[2]));
                }
            }
        }
        double rate = Double.parseDouble(tps.group(1));
        return Load.of(latencies, connections, latencies.getTotalCount() / rate);
    }
}
