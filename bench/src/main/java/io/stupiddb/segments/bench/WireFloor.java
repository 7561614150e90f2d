package io.stupiddb.segments.bench;

import io.stupiddb.segments.testing.ServiceLauncher;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The framework floor of {@link WireBench}: {@code bench/floor}, a Quarkus application with the
 * service's Quarkus version, extensions and HTTP settings and nothing of the store (a POST that
 * reads its body and throws it away, a GET that sends a file's bytes from memory as NDJSON), built
 * by {@code bench/run wire} and started exactly as the service is ({@link ServiceLauncher}). What it
 * measures on the machine is the least any service on this stack could take for the same request,
 * the line each of the service's figures is read against. Stateless.
 */
final class WireFloor {
    /** The packaged floor, as {@code ./mvnw -f bench/floor/pom.xml package} leaves it. */
    static final Path APP = Path.of("bench", "floor", "target", "quarkus-app").toAbsolutePath();

    static final Path JAR = APP.resolve("quarkus-run.jar");

    /** Its own AOT cache, trained by {@link #train} (the service's is trained by src/main/bin/aot-train). */
    static final Path AOT_CACHE = APP.resolve("app.aot");

    private WireFloor() {
    }

    /** Fails, saying how to build it, when the floor is not packaged. */
    static void requireBuilt() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: bench/run wire builds it"
                    + " (./mvnw -f bench/floor/pom.xml package)");
        }
    }

    /** The floor in {@code dir} as the HTTP benchmarks run the service: 1 GiB heap, WARN logging. */
    static ServiceLauncher launcher(Path dir) {
        return HttpBench.service(dir).jar(JAR);
    }

    /**
     * Trains the floor's AOT cache the way aot-train trains the service's: one run with
     * {@code -XX:AOTCacheOutput} that answers every kind of request it has ({@code body}: an
     * NDJSON batch, posted and replayed), stopped with SIGTERM so that the JVM writes the cache.
     */
    static void train(Path dir, Path body) throws Exception {
        Files.deleteIfExists(AOT_CACHE);
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceLauncher floor = launcher(dir).jvmOptions(List.of("-Xmx1g", "-XX:AOTCacheOutput=" + AOT_CACHE))) {
            floor.start(HttpBench.START_TIMEOUT);
            for (int i = 0; i < 50; i++) {
                expect(http, HttpRequest.newBuilder(floor.api("/floor/discard"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), 201);
                expect(http, HttpRequest.newBuilder(floor.api("/floor/replay?file="
                        + URLEncoder.encode(body.toString(), StandardCharsets.UTF_8)))
                        .header("Accept", "application/x-ndjson").build(), 200);
                expect(http, HttpRequest.newBuilder(floor.management("/q/health/ready")).build(), 200);
                expect(http, HttpRequest.newBuilder(floor.management("/q/metrics")).build(), 200);
            }
            floor.stop(Duration.ofMinutes(2)); // the JVM writes the cache as it exits
        }
        if (!Files.isRegularFile(AOT_CACHE)) {
            throw new IllegalStateException("the floor's AOT cache was not written: " + AOT_CACHE);
        }
    }

    private static void expect(HttpClient http, HttpRequest request, int status) throws Exception {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != status) {
            throw new IllegalStateException(request.uri() + ": " + response.statusCode() + ", expected " + status);
        }
    }
}
