package io.stupiddb.segments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.testing.ServiceLauncher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * This store as a service: the packaged jar (target/quarkus-app) in a child process, one
 * HTTP/1.1 keep-alive client. Ingest as NDJSON batches (the service parses JSON and re-encodes
 * MessagePack); gets and the filtered scan (NDJSON stream) through the REST API. The service's
 * clock is the real one, so a backfill of the simulated day lands in segments by wall-clock
 * (one per 100 MB), not per hour: the 1-hour scan reads every segment whose time span overlaps.
 */
final class HttpPeer implements Peer {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private ServiceLauncher service;
    private Path dir;
    private String fsync;
    private String[] ids = new String[1024];
    private int written;
    private long peakRssKb = -1;

    @Override
    public String name() {
        return "this store, HTTP";
    }

    private final Dataset data;

    HttpPeer(Dataset data) {
        this.data = data;
    }

    /**
     * One service per durability (segments.fsync is a start-up setting), warmed up when started
     * (20,000 documents in batches of 100, then evicted) so that runs do not measure a cold JIT;
     * between runs the data is evicted, the service keeps running.
     */
    @Override
    public void create(Path dir, boolean durable) throws Exception {
        String wanted = durable ? "always" : "never";
        written = 0;
        if (service != null && wanted.equals(fsync)) {
            return;
        }
        if (service != null) {
            drop(true);
        }
        this.dir = dir;
        Files.createDirectories(dir);
        fsync = wanted;
        service = HttpBench.service(dir).set("segments.fsync", fsync);
        service.start(HttpBench.START_TIMEOUT);
        try (Dataset.Reader reader = data.reader(20_000)) {
            for (List<Dataset.Doc> batch = reader.next(100); !batch.isEmpty(); batch = reader.next(100)) {
                ingest(batch);
            }
        }
        clear();
        written = 0;
    }

    /** Evicts every segment through the API. */
    private void clear() throws Exception {
        settle();
        HttpResponse<byte[]> list = HTTP.send(HttpRequest.newBuilder(service.api("/api/v1/segments")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        for (JsonNode segment : json.readTree(list.body()).get("segments")) {
            if (!"ACTIVE".equals(segment.get("state").asText())) {
                HTTP.send(HttpRequest.newBuilder(service.api("/api/v1/segments/" + segment.get("id").asText()))
                        .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Override
    public void ingest(List<Dataset.Doc> batch) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream(batch.size() * 1100);
        for (Dataset.Doc doc : batch) {
            body.writeBytes(doc.json());
            body.write('\n');
        }
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(service.api("/api/v1/documents"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(response.statusCode() + " " + new String(response.body()));
        }
        JsonNode answer = json.readTree(response.body());
        JsonNode documents = answer.has("documents") ? answer.get("documents") : null;
        if (written + batch.size() > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ids.length * 2, written + batch.size()));
        }
        if (documents == null) {
            ids[written++] = answer.get("id").asText();
        } else {
            for (JsonNode d : documents) {
                ids[written++] = d.get("id").asText();
            }
        }
    }

    /** Seals the active segment, then waits until the service's background compaction is done (its gauge). */
    @Override
    public String settle() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(service.api("/api/v1/segments/rotate"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        awaitCompaction(Duration.ofHours(2));
        return "POST /segments/rotate (" + response.statusCode() + "), then segment_store_compaction_pending == 0";
    }

    /** Waits until the service's background compaction has nothing pending (its gauge). */
    void awaitCompaction(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (compactionPending() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("compaction still busy after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private double compactionPending() throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(service.management("/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("segment_store_compaction_pending")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no segment_store_compaction_pending in /q/metrics");
    }

    @Override
    public long diskBytes() throws Exception {
        return Sys.du(dir.resolve("data"));
    }

    @Override
    public boolean get(int index, Dataset.Doc ref) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(service.api("/api/v1/documents/" + ids[index]))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode() == 200;
    }

    @Override
    public long[] scan(long from, long to) throws Exception {
        return stream(scanQuery(from, to));
    }

    /** The filtered scan of [from, to) as a URI of this service. */
    URI scanUri(long from, long to) {
        return service.api("/api/v1/documents?" + scanQuery(from, to));
    }

    /** The query of the filtered scan of [from, to). */
    private static String scanQuery(long from, long to) {
        return "from=" + from + "&to=" + to + "&filter=" + URLEncoder.encode(QuerySet.FILTER, StandardCharsets.UTF_8);
    }

    @Override
    public long[] needle(String traceId) throws Exception {
        return stream("filter=" + URLEncoder.encode(QuerySet.needleFilter(traceId), StandardCharsets.UTF_8));
    }

    /** The API has no count: every match streams to the client as NDJSON, which counts the lines. */
    @Override
    public long countServerErrors() throws Exception {
        return stream("filter=" + URLEncoder.encode(QuerySet.SERVER_ERRORS, StandardCharsets.UTF_8))[0];
    }

    /** GET /api/v1/documents?{query} as NDJSON; {documents, bytes of the lines}. */
    private long[] stream(String query) throws Exception {
        return ndjson(service.api("/api/v1/documents?" + query), null);
    }

    /**
     * The scan of {@link #scan} as the service answers it, its NDJSON written to {@code target};
     * {documents, bytes of the lines}.
     */
    long[] saveScan(long from, long to, OutputStream target) throws Exception {
        return ndjson(scanUri(from, to), target);
    }

    /**
     * GETs {@code uri} as NDJSON with this peer's client; {lines (documents), bytes of the lines},
     * the body also copied to {@code copy} when not null. Fails on any status but 200.
     */
    static long[] ndjson(URI uri, OutputStream copy) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri)
                .header("Accept", "application/x-ndjson").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw new IllegalStateException("GET " + uri + ": " + response.statusCode() + " "
                        + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        // every line read and counted in the bytes as they arrive (a line is a document, blank
        // lines are none); no String per line, so the client takes little of the cores the
        // service shares with it
        long matches = 0;
        long bytes = 0;
        try (InputStream body = response.body()) {
            byte[] chunk = new byte[1 << 16];
            boolean inLine = false;
            for (int n = body.read(chunk); n >= 0; n = body.read(chunk)) {
                if (copy != null) {
                    copy.write(chunk, 0, n);
                }
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        matches += inLine ? 1 : 0;
                        inLine = false;
                    } else {
                        inLine = true;
                        bytes++;
                    }
                }
            }
            matches += inLine ? 1 : 0;
        }
        return new long[] {matches, bytes};
    }

    @Override
    public void close() throws Exception {
        peakRssKb = Math.max(peakRssKb, Sys.vmHwmKb(service.pid()));
        service.stop();
    }

    @Override
    public void reopen() throws Exception {
        service = HttpBench.service(dir).set("segments.fsync", fsync);
        service.start(HttpBench.START_TIMEOUT);
        if (!get(0, null)) {
            throw new IllegalStateException("document 0 not found after restart");
        }
    }

    @Override
    public String evictOldestHour(long from, long to) {
        return null;
    }

    @Override
    public Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    public long serverPeakRssKb() {
        return Math.max(peakRssKb, service == null ? -1 : Sys.vmHwmKb(service.pid()));
    }

    @Override
    public void drop(boolean last) throws Exception {
        if (!last && service != null) {
            clear();
            return;
        }
        if (service != null) {
            peakRssKb = Math.max(peakRssKb, Sys.vmHwmKb(service.pid()));
            service.stop();
            service = null;
        }
        Sys.deleteAll(dir);
    }

    /** The running service (WireBench drives it with wrk). */
    ServiceLauncher service() {
        return service;
    }

    /** The id the service gave the {@code index}-th ingested document. */
    String id(int index) {
        return ids[index];
    }

    long readyMillis() {
        return service.readyMillis();
    }

    @Override
    public String describe() {
        return "packaged jar (java -Xmx1g -jar quarkus-run.jar) in a child process, NDJSON over HTTP/1.1 keep-alive,"
                + " 1 client; segments.fsync always/never";
    }
}
