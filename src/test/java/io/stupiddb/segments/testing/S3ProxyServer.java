package io.stupiddb.segments.testing;

import io.stupiddb.segments.cold.ColdSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for tests: S3Proxy (org.gaul:s3proxy, filesystem backend) in a child JVM on
 * a loopback port, with fixed credentials. {@link #stop} kills it (an outage: connections are
 * refused), {@link #start} brings it back on the same port with the same files. A bucket is a
 * directory under {@link #baseDir()}, an object a file in it, so tests can damage stored bytes.
 *
 * <p>The credentials are also set as the {@code aws.accessKeyId}/{@code aws.secretAccessKey}
 * system properties, which the AWS default credentials chain reads, so stores opened in this JVM
 * find them as a deployed service would find its environment.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String IDENTITY = "test-identity";
    public static final String CREDENTIAL = "test-credential";

    private final Path baseDir;
    private final int port;
    /** A temporary directory this server made for itself and deletes on {@link #close}. */
    private Optional<Path> owned = Optional.empty();

    private Process process;

    private S3ProxyServer(Path baseDir, int port) {
        this.baseDir = baseDir;
        this.port = port;
    }

    /** Starts S3Proxy with one empty bucket in a new temporary directory, deleted again by {@link #close}. */
    public static S3ProxyServer startInTemporaryDirectory(String bucket) throws IOException {
        Path dir = Files.createTempDirectory("s3proxy");
        S3ProxyServer server = start(dir.resolve("data"), bucket);
        server.owned = Optional.of(dir);
        return server;
    }

    /** Starts S3Proxy over {@code baseDir} with one empty bucket. */
    public static S3ProxyServer start(Path baseDir, String bucket) throws IOException {
        Files.createDirectories(baseDir.resolve(bucket));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        System.setProperty("aws.accessKeyId", IDENTITY);
        System.setProperty("aws.secretAccessKey", CREDENTIAL);
        S3ProxyServer server = new S3ProxyServer(baseDir, port);
        server.start();
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path baseDir() {
        return baseDir;
    }

    /** The file that holds an object of {@code bucket}. */
    public Path objectFile(String bucket, String key) {
        return baseDir.resolve(bucket).resolve(key);
    }

    /** Settings for {@code bucket} on this server: path-style, endpoint override, small parts. */
    public ColdSettings settings(String bucket, long cacheSize) {
        return ColdSettings.of(bucket, "segments/", Optional.of(endpoint()), "us-east-1", true, cacheSize)
                .withPartSize(ColdSettings.MIN_PART_SIZE);
    }

    /** (Re)starts the server on its port and waits until it accepts connections. */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Path conf = baseDir.resolveSibling(baseDir.getFileName() + "-s3proxy.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + IDENTITY,
                        "s3proxy.credential=" + CREDENTIAL,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + baseDir.toAbsolutePath(),
                        ""));
        Path log = baseDir.resolveSibling(baseDir.getFileName() + "-s3proxy.log");
        process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.gaul.s3proxy.Main",
                        "--properties",
                        conf.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("S3Proxy exited at start: " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while S3Proxy starts", e);
                }
            }
        }
        throw new IOException("S3Proxy did not listen on " + endpoint() + " within 60 s: " + Files.readString(log));
    }

    /** Kills the server (SIGKILL): from now on connections are refused. */
    public void stop() throws IOException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while S3Proxy stops", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        if (owned.isPresent()) {
            TestFiles.deleteRecursively(owned.get());
        }
    }
}
