package io.stupiddb.segments.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stupiddb.segments.testing.ServiceLauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Configuration of the artifact that {@code @QuarkusIntegrationTest} launches (the packaged jar, or
 * the native executable where one was built). That process runs the {@code prod} profile, so the
 * {@code %test} settings of application.properties do not reach it; what {@link #start()} returns
 * is passed to it as {@code -D} system properties:
 * <ul>
 *   <li>{@code segments.data-dir}: a fresh directory under {@code target/it-data/} per run;</li>
 *   <li>{@code segments.min-free-disk=0}: a full shared build disk must not turn writes into 507s;</li>
 *   <li>{@code quarkus.management.port}: a free port. The launcher gives the API a random port
 *       ({@code quarkus.http.test-port=0}, read back from the log), but it neither moves nor reads
 *       back the management port: the artifact would bind 9000 (taken by anything else running
 *       here), and {@code @TestHTTPResource(management = true)} resolves to port 9001 in
 *       integration tests whatever the configuration (Quarkus 3.33.2). So the port is chosen here
 *       and {@link #managementUrl(String)} builds the URL from it.</li>
 * </ul>
 * The HTTP API port needs nothing: {@code quarkus.http.test-port=0} already applies to launched
 * artifacts. The other ITs start the jar with {@link ServiceLauncher}, which picks its own free
 * ports, so the two never collide. SmokeIT is the one IT that Quarkus launches rather than
 * {@link ServiceLauncher}: it must run the native executable too, when {@code -Dnative} built one.
 */
public class ItDataDir implements QuarkusTestResourceLifecycleManager {
    private static volatile int managementPort;
    private static volatile Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Path.of("target", "it-data", UUID.randomUUID().toString()).toAbsolutePath();
            Files.createDirectories(dataDir);
            managementPort = ServiceLauncher.freePort();
            return Map.of(
                    "segments.data-dir", dataDir.toString(),
                    "segments.min-free-disk", "0",
                    "quarkus.management.port", Integer.toString(managementPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The data directory stays under target/ for a look after a failure; mvn clean removes it.
    }

    /** {@code http://localhost:<management port>/q} + {@code path}, e.g. {@code /health/ready}. */
    static String managementUrl(String path) {
        if (managementPort == 0) {
            throw new IllegalStateException("ItDataDir has not been started");
        }
        return "http://localhost:" + managementPort + "/q" + path;
    }

    static Path dataDir() {
        return dataDir;
    }
}
