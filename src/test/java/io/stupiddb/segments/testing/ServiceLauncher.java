package io.stupiddb.segments.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar target/quarkus-app/quarkus-run.jar}) as a child process,
 * exactly as users run it: the one launcher of the ITs ({@code it/}, {@code it/reliability/}) and
 * of the benchmarks ({@code bench/}, which depends on this project's test-jar for it).
 *
 * <p>Every start gets fresh free API and management ports (unless {@link #apiPort(int)} fixed the
 * API port, as a cluster whose peers must be known in advance needs), {@code segments.*} and other
 * settings as {@code -D} system properties ({@code segments.min-free-disk=0} by default: a full
 * shared build disk must not turn writes into 507s), and appends its output to one log file, each
 * start headed by its command line. The child's working directory is fixed, so its default data
 * directory ({@code workDir/data}) survives restarts.
 *
 * <p>The jar path is relative to the working directory of the caller: the project root, both for
 * Maven's test runs and for {@code bench/run}.
 *
 * <p>Not thread-safe: one test thread starts, stops and restarts it.
 */
public final class ServiceLauncher implements AutoCloseable {
    /** The packaged jar, as {@code ./mvnw package} leaves it. */
    public static final Path JAR =
            Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    /** Readiness is polled this often; fine enough for the start-to-ready figures of the benchmarks. */
    private static final long POLL_MILLIS = 20;

    private final Path workDir;
    private final Path log;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path jar = JAR;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;
    private int fixedApiPort;
    private int apiPort;
    private int managementPort;
    private int starts;
    private long launchedNanos;
    private long readyMillis = -1;

    /**
     * @param workDir working directory of the child (its default data directory is {@code workDir/data})
     * @param log     output of every start of this service, appended
     */
    public ServiceLauncher(Path workDir, Path log) {
        this.workDir = workDir.toAbsolutePath();
        this.log = log.toAbsolutePath();
        properties.put("segments.min-free-disk", "0");
    }

    /** A {@code segments.*} (or any) system property for the next start. */
    public ServiceLauncher set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public ServiceLauncher unset(String key) {
        properties.remove(key);
        return this;
    }

    /** JVM options of the child (e.g. {@code -Xmx512m}), before the system properties; replaces earlier ones. */
    public ServiceLauncher jvmOptions(List<String> options) {
        jvmOptions.clear();
        jvmOptions.addAll(options);
        return this;
    }

    /**
     * Another packaged Quarkus application to start instead of the service's {@link #JAR} (the
     * benchmarks' framework floor, bench/floor); the same ports, properties and readiness check.
     */
    public ServiceLauncher jar(Path jar) {
        this.jar = jar.toAbsolutePath();
        return this;
    }

    /** The API port of every next start, instead of a fresh free one (peers of a cluster name it up front). */
    public ServiceLauncher apiPort(int port) {
        this.fixedApiPort = port;
        return this;
    }

    /** Starts the child and waits up to 90 s until readiness is UP; returns the milliseconds from launch to ready. */
    public long start() throws Exception {
        return start(Duration.ofSeconds(90));
    }

    /** Starts the child and waits until readiness is UP; returns the milliseconds from launch to ready. */
    public long start(Duration timeout) throws Exception {
        launch();
        return awaitReady(timeout);
    }

    /** Starts the child without waiting. */
    public void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `./mvnw package` first");
        }
        Files.createDirectories(workDir);
        apiPort = fixedApiPort != 0 ? fixedApiPort : freePort();
        managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + apiPort);
        command.add("-Dquarkus.management.port=" + managementPort);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(log.getParent());
        Files.writeString(
                log,
                "\n==== start " + (++starts) + ": " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        readyMillis = -1;
        launchedNanos = System.nanoTime();
        process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200; fails early, with the tail of the log, when
     * the child exits. Returns the milliseconds from launch to ready.
     */
    public long awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue()
                        + " during start-up; log " + log + ":\n" + logTail(40));
            }
            try {
                HttpResponse<Void> ready = http.send(
                        HttpRequest.newBuilder(management("/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    readyMillis = (System.nanoTime() - launchedNanos) / 1_000_000;
                    return readyMillis;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("not ready within " + timeout + "; log " + log + ":\n" + logTail(40));
    }

    /** Milliseconds from launch to ready of the last start; -1 before it was ready. */
    public long readyMillis() {
        return readyMillis;
    }

    /** SIGKILL: no shutdown hook, no seal, no flush of anything the process still holds. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not die after SIGKILL");
            }
        }
    }

    /** SIGTERM: graceful shutdown (seals the active segment), within 60 s. Returns the exit code, -1 if never started. */
    public int stop() throws InterruptedException {
        return stop(Duration.ofSeconds(60));
    }

    /**
     * SIGTERM: graceful shutdown (seals the active segment). Returns the exit code, -1 if never
     * started; throws (after a SIGKILL) when the child has not exited within {@code timeout}.
     */
    public int stop(Duration timeout) throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("the service did not stop within " + timeout + " of SIGTERM");
            }
        }
        return process.exitValue();
    }

    /** SIGTERM without waiting: the graceful shutdown runs while the caller watches it ({@link #awaitExit}). */
    public void signalStop() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("not running");
        }
        process.destroy();
    }

    /** Waits for the child to exit on its own (e.g. a failed start); its exit code, or null while alive. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** {@code http://localhost:<api port>} + {@code pathAndQuery}. */
    public URI api(String pathAndQuery) {
        return URI.create("http://localhost:" + apiPort + pathAndQuery);
    }

    /** {@code http://localhost:<management port>} + {@code path}, e.g. {@code /q/metrics}. */
    public URI management(String path) {
        return URI.create("http://localhost:" + managementPort + path);
    }

    public int apiPort() {
        return apiPort;
    }

    public Path log() {
        return log;
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The log since the most recent start. */
    public String logOfLastStart() throws IOException {
        String all = Files.readString(log, StandardCharsets.ISO_8859_1);
        int at = all.lastIndexOf("\n==== start ");
        return at < 0 ? all : all.substring(at);
    }

    /** SIGKILL if still running: a test that failed half-way leaves no child behind. */
    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /**
     * What a run of the packaged jar's {@code segment-tool} printed (stdout and stderr) and its exit
     * code; no exit code when it did not finish in time (it was killed).
     */
    public record ToolRun(OptionalInt exitCode, String output) {}

    /** {@code java -jar quarkus-run.jar segment-tool <arguments>} (README), waiting up to {@code timeout}. */
    public static ToolRun segmentTool(Duration timeout, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "segment-tool"));
        command.addAll(List.of(arguments));
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            tool.destroyForcibly();
            return new ToolRun(OptionalInt.empty(), output);
        }
        return new ToolRun(OptionalInt.of(tool.exitValue()), output);
    }

    /** A port free right now (the child binds it a moment later; on loopback a collision is rare enough). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
