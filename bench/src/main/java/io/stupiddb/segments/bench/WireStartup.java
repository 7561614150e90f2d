package io.stupiddb.segments.bench;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.testing.ServiceLauncher;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Start-up and memory of the packaged service for {@link WireBench}: start to ready of the plain
 * jar and of the jar with the build's JDK AOT cache ({@code target/quarkus-app/app.aot}, when the
 * build made one), each with an empty data directory and with 1,000 sealed segments, median of
 * several starts; the resident set size (VmRSS) after each start, and with the 1,000 segments after
 * a full scan has read (mapped and touched) all of them; beside them the framework alone
 * ({@link WireFloor}), plain and with its own AOT cache. Single-threaded.
 */
final class WireStartup {
    /** JVM options of every start measured here: those of the HTTP benchmarks (see HttpBench#service). */
    private static final List<String> JVM = List.of("-Xmx1g");

    private WireStartup() {
    }

    /** The AOT cache that {@code ./mvnw package} trains ({@code src/main/bin/aot-train}) next to the packaged jar. */
    static Path aotCache() {
        return ServiceLauncher.JAR.resolveSibling("app.aot");
    }

    /** The start-up and memory sections; {@code loadedIdleKb}/{@code peakKb}: RSS of the service measured by WireBench. */
    static String run(Path root, Dataset data, boolean quick, long loadedIdleKb, long peakKb, Path sampleBatch)
            throws Exception {
        Path empty = root.resolve("empty");
        Path thousand = root.resolve("thousand");
        Files.createDirectories(empty);
        try (SegmentStore store = SegmentStore.open(StoreConfig.builder(thousand.resolve("data")).minFreeDisk(0).build(),
                InstantSource.system())) {
            Dataset.Reader reader = data.reader(data.count);
            try {
                for (int s = 0; s < 1000; s++) {
                    List<Dataset.Doc> docs = reader.next(100);
                    if (docs.isEmpty()) {
                        reader.close();
                        reader = data.reader(data.count);
                        docs = reader.next(100);
                    }
                    List<DocumentToWrite> batch = new ArrayList<>();
                    docs.forEach(d -> batch.add(DocumentToWrite.at(d.msgpack(), d.timestamp())));
                    store.write(batch);
                    store.rotate(RotationReason.MANUAL);
                }
            } finally {
                reader.close();
            }
        }
        int starts = quick ? 3 : 7;
        boolean aot = Files.isRegularFile(aotCache());
        List<String> aotJvm = new ArrayList<>(JVM);
        // AOTMode=on: a cache the JVM cannot use is an error, not a silent plain start
        aotJvm.addAll(List.of("-XX:AOTCache=" + aotCache(), "-XX:AOTMode=on"));
        long[] plainEmpty = median(ServiceLauncher.JAR, empty, JVM, starts, false);
        long[] plainThousand = median(ServiceLauncher.JAR, thousand, JVM, starts, true);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "## Start-up: process start to `/q/health/ready` UP (median of %d starts; RSS = VmRSS when ready)%n%n"
                        + "| data directory | plain jar ms | RSS MB | AOT cache ms | RSS MB | AOT × plain |%n"
                        + "|---|---|---|---|---|---|%n", starts));
        long[] aotEmpty = aot ? median(ServiceLauncher.JAR, empty, aotJvm, starts, false) : null;
        long[] aotThousand = aot ? median(ServiceLauncher.JAR, thousand, aotJvm, starts, false) : null;
        // the framework alone, started the same way, with its own cache trained the same way
        Path floorDir = Files.createDirectories(root.resolve("floor"));
        WireFloor.train(floorDir, sampleBatch);
        List<String> floorAotJvm = new ArrayList<>(JVM);
        floorAotJvm.addAll(List.of("-XX:AOTCache=" + WireFloor.AOT_CACHE, "-XX:AOTMode=on"));
        long[] floorPlain = median(WireFloor.JAR, floorDir, JVM, starts, false);
        long[] floorAot = median(WireFloor.JAR, floorDir, floorAotJvm, starts, false);
        md.append(row("empty", plainEmpty, aotEmpty));
        md.append(row("1,000 sealed segments, 100,000 documents", plainThousand, aotThousand));
        md.append(row("the framework alone (`bench/floor`: the same Quarkus extensions and settings, no store)",
                floorPlain, floorAot));
        if (!aot) {
            md.append("\nNo AOT cache at ").append(aotCache()).append(": `./mvnw package` trains it.\n");
        }
        md.append(String.format(Locale.ROOT, "%n## Memory of the service (`%s`, RSS = VmRSS)%n%n| state | RSS MB |%n"
                        + "|---|---|%n| empty store, ready | %.0f |%n| %,d documents loaded, idle | %.0f |%n"
                        + "| peak (VmHWM) up to the end of the wrk GET runs, 64 connections | %.0f |%n"
                        + "| 1,000 sealed segments, ready | %.0f |%n"
                        + "| 1,000 sealed segments after a full NDJSON scan read them all | %.0f |%n%n",
                String.join(" ", JVM), plainEmpty[1] / 1024.0, data.count, loadedIdleKb / 1024.0, peakKb / 1024.0,
                plainThousand[1] / 1024.0, plainThousand[2] / 1024.0));
        return md.toString();
    }

    private static String row(String name, long[] plain, long[] aot) {
        if (aot == null) {
            return String.format(Locale.ROOT, "| %s | %,d | %.0f | - | - | - |%n", name, plain[0], plain[1] / 1024.0);
        }
        return String.format(Locale.ROOT, "| %s | %,d | %.0f | %,d | %.0f | %.2f |%n", name, plain[0],
                plain[1] / 1024.0, aot[0], aot[1] / 1024.0, (double) aot[0] / plain[0]);
    }

    /**
     * Starts the packaged application {@code jar} (the service's or the floor's) in {@code dir}
     * {@code starts} times; {median ms to ready, median RSS kB when ready, RSS kB after a full scan
     * of the last start (only if {@code scan})}.
     */
    private static long[] median(Path jar, Path dir, List<String> jvm, int starts, boolean scan) throws Exception {
        List<Long> millis = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        long scanned = -1;
        for (int i = 0; i < starts; i++) {
            try (ServiceLauncher service = HttpBench.service(dir).jar(jar).jvmOptions(jvm)) {
                millis.add(service.start(HttpBench.START_TIMEOUT));
                rss.add(Sys.statusField(service.pid(), "VmRSS:"));
                if (scan && i == starts - 1) {
                    HttpResponse<Void> all = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            service.api("/api/v1/documents")).header("Accept", "application/x-ndjson").build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (all.statusCode() != 200) {
                        throw new IllegalStateException("full scan: " + all.statusCode());
                    }
                    scanned = Sys.statusField(service.pid(), "VmRSS:");
                }
                service.stop();
            }
        }
        Collections.sort(millis);
        Collections.sort(rss);
        return new long[] {millis.get(starts / 2), rss.get(starts / 2), scanned};
    }
}
