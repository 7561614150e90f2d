package io.stupiddb.segments.it.reliability;

import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packaged service for the reliability suite: a {@link ServiceLauncher} with the suite's JVM
 * options and a 512 MiB heap.
 *
 * <p>JVM options of the child: {@code -Dreliability.jvm-options}, by default C1 only and an AOT
 * cache in target/reliability (see {@link #defaultJvmOptions()}; neither changes what the
 * service does, only how fast it starts).
 */
final class Services {
    private static final String FAST_START = "-XX:TieredStopAtLevel=1";
    private static String defaultOptions;

    private Services() {}

    /**
     * @param workDir working directory of the child (its default data directory is {@code workDir/data})
     * @param log     output of every start of this service, appended
     */
    static ServiceLauncher launcher(Path workDir, Path log) {
        String options = System.getProperty("reliability.jvm-options");
        return launcher(workDir, log, options == null ? defaultJvmOptions() : options);
    }

    private static ServiceLauncher launcher(Path workDir, Path log, String options) {
        List<String> jvm = new ArrayList<>(Arrays.stream(options.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList());
        jvm.add("-Xmx512m");
        return new ServiceLauncher(workDir, log).jvmOptions(jvm);
    }

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
            Path jarFile = ServiceLauncher.JAR;
            Path cache = Settings.workDir().resolve("segment-store.aot");
            Path stamp = Settings.workDir().resolve("segment-store.aot.jar");
            String jar = Files.getLastModifiedTime(jarFile).toMillis() + " " + Files.size(jarFile);
            if (!Files.isRegularFile(cache)
                    || !Files.isRegularFile(stamp)
                    || !Files.readString(stamp).equals(jar)) {
                Files.deleteIfExists(cache);
                Path training = Files.createTempDirectory(Settings.workDir(), "aot-training-");
                try (ServiceLauncher service = launcher(
                        training, training.resolve("service.log"), FAST_START + " -XX:AOTCacheOutput=" + cache)) {
                    service.start();
                    Api api = new Api(service);
                    Api.Response written = api.post("/api/v1/documents", "application/json", Docs.json(1));
                    api.get("/api/v1/documents/" + written.json().get("id").asText());
                    api.get("/api/v1/documents?limit=10");
                    api.events();
                    api.close();
                    service.stop();
                } finally {
                    TestFiles.deleteRecursively(training);
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
}
