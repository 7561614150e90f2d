package io.stupiddb.segments.it.reliability;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar target/quarkus-app/quarkus-run.jar}) as a child process,
 * as {@code PackagedJarIT} starts it: free API and management ports, {@code segments.*} as system
 * properties, output appended to one log file per test. Start, wait for readiness, SIGKILL,
 * SIGTERM, restart on the same data directory.
 *
 * <p>JVM options of the child: {@code -Dreliability.jvm-options}, by default C1 only and an AOT
 * cache in target/reliability (see {@link #defaultJvmOptions()}; neither changes what the
 * service does, only how fast it starts).
 */
final class ServiceProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private final Path workDir;
    private final Path log;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Process process;
    private int apiPort;
    private int managementPort;
    private int starts;

    /**
     * @param workDir working directory of the child (its default data directory is {@code workDir/data})
     * @param log     output of every start of this service, appended
     */
    ServiceProcess(Path workDir, Path log) {
        this.workDir = workDir.toAbsolutePath();
        this.log = log.toAbsolutePath();
        properties.put("segments.min-free-disk", "0");
    }

    /** A {@code segments.*} (or any) system property for the next start. */
    ServiceProcess set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    ServiceProcess unset(String key) {
        properties.remove(key);
        return this;
    }

    /** Starts the child and waits until readiness is UP. */
    long start() throws Exception {
        return start(Duration.ofSeconds(90));
    }

    /** Starts the child and waits until readiness is UP; returns the milliseconds it took. */
    long start(Duration timeout) throws Exception {
        launch();
        return awaitReady(timeout);
    }

    /** Starts the child without waiting. */
    void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the reliability ITs need `./mvnw package` first");
        }
        Files.createDirectories(workDir);
        apiPort = freePort();
        managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jvmOptions = System.getProperty("reliability.jvm-options");
        if (jvmOptions == null) {
            jvmOptions = defaultJvmOptions();
        }
        command.addAll(Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        command.add("-Xmx512m");
        command.add("-Dquarkus.http.port=" + apiPort);
        command.add("-Dquarkus.management.port=" + managementPort);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        Files.createDirectories(log.getParent());
        Files.writeString(log, "\n==== start " + (++starts) + ": " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early when the child exits. */
    long awaitReady(Duration timeout) throws Exception {
        long begin = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = begin + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue()
                        + " during start-up; log " + log + ":\n" + logTail(40));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(management("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return (System.nanoTime() - begin) / 1_000_000;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not ready within " + timeout + "; log " + log + ":\n" + logTail(40));
    }

    /** SIGKILL: no shutdown hook, no seal, no flush of anything the process still holds. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not die after SIGKILL");
            }
        }
    }

    /** SIGTERM: graceful shutdown (seals the active segment). Returns the exit code. */
    int stop() throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("the service did not stop within 60 s of SIGTERM");
            }
        }
        return process.exitValue();
    }

    /** Waits for the child to exit on its own (e.g. a failed start); its exit code, or null while alive. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    URI api(String pathAndQuery) {
        return URI.create("http://localhost:" + apiPort + pathAndQuery);
    }

    URI management(String path) {
        return URI.create("http://localhost:" + managementPort + path);
    }

    int apiPort() {
        return apiPort;
    }

    Path log() {
        return log;
    }

    /** The last {@code lines} lines of the log. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** The log since the most recent start. */
    String logOfLastStart() throws IOException {
        String all = Files.readString(log, StandardCharsets.ISO_8859_1);
        int at = all.lastIndexOf("\n==== start ");
        return at < 0 ? all : all.substring(at);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static final String FAST_START = "-XX:TieredStopAtLevel=1";
    private static String defaultOptions;

    /**
     * C1 only, and an AOT cache of the service (JDK 25, JEP 483/514) trained once per build of the
     * jar by a short start, write, read and graceful stop: the ~40 starts of the suite take about a
     * third less time on a busy 2-core machine. Without a cache (training failed) just C1.
     */
    static synchronized String defaultJvmOptions() {
        if (defaultOptions != null) {
            return defaultOptions;
        }
        defaultOptions = FAST_START;
        try {
            Path cache = Settings.workDir().resolve("segment-store.aot");
            Path stamp = Settings.workDir().resolve("segment-store.aot.jar");
            String jar = Files.getLastModifiedTime(JAR).toMillis() + " " + Files.size(JAR);
            if (!Files.isRegularFile(cache) || !Files.isRegularFile(stamp) || !Files.readString(stamp).equals(jar)) {
                Files.deleteIfExists(cache);
                Path training = Files.createTempDirectory(Settings.workDir(), "aot-training-");
                System.setProperty("reliability.jvm-options", FAST_START + " -XX:AOTCacheOutput=" + cache);
                try (ServiceProcess service = new ServiceProcess(training, training.resolve("service.log"))) {
                    service.start();
                    Api api = new Api(service);
                    Api.Response written = api.post("/api/v1/documents", "application/json", Docs.json(1));
                    api.get("/api/v1/documents/" + written.json().get("id").asText());
                    api.get("/api/v1/documents?limit=10");
                    api.events();
                    api.close();
                    service.stop();
                } finally {
                    System.clearProperty("reliability.jvm-options");
                    TestDirs.delete(training);
                }
                if (Files.isRegularFile(cache)) {
                    Files.writeString(stamp, jar);
                }
            }
            if (Files.isRegularFile(cache)) {
                defaultOptions = FAST_START + " -XX:AOTCache=" + cache;
            }
        } catch (Exception e) {
            System.out.println("no AOT cache for the service (starts are slower): " + e);
        }
        return defaultOptions;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
