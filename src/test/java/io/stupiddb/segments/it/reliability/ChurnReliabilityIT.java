package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue item 5, churn, on the packaged service: its own scheduler rotates (age 1 s), archives
 * (after 1 s) and evicts (max-total-size 300K) every second while a writer writes and readers get
 * recent ids, page through scans with cursors, stream NDJSON scans and search with a filter.
 * Checks: the only answers are 200/201, 404 for a document whose segment was evicted (checked
 * against the journal's SEGMENT_EVICTED events), and the documented 503 {@code segment-moved};
 * every document read is intact and scans are in id order; the service neither dies (SIGBUS) nor
 * logs an error; afterwards, with every segment evicted, its open files into the data directory
 * ({@code /proc/<pid>/fd}) and its mappings of segment files ({@code /proc/<pid>/maps}) are back
 * to the baseline taken before the churn, and nothing deleted is still open or mapped.
 *
 * <p>{@code -Dreliability.churn.seconds} (CI 10, long run 60).
 */
class ChurnReliabilityIT {

    /** What the child holds open: fds, fds into the data directory, segment mappings, deleted files. */
    record Handles(int fds, int dataFds, int dataMaps, List<String> deleted) {}

    static Handles handles(long pid, Path data) throws IOException {
        String dir = data.toRealPath().toString();
        int fds = 0;
        int dataFds = 0;
        List<String> deleted = new ArrayList<>();
        try (Stream<Path> links = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path link : links.toList()) {
                fds++;
                try {
                    String target = Files.readSymbolicLink(link).toString();
                    if (target.startsWith(dir)) {
                        dataFds++;
                        if (target.endsWith("(deleted)")) {
                            deleted.add("fd " + target);
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // gone
                }
            }
        }
        int maps = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            if (line.contains(dir)) {
                maps++;
                if (line.endsWith("(deleted)")) {
                    deleted.add("map " + line.substring(line.indexOf('/')));
                }
            }
        }
        return new Handles(fds, dataFds, maps, deleted);
    }

    @Test
    void readersDuringRotationArchiveAndEvictionEverySecond() throws Exception {
        int seconds = Settings.integer("reliability.churn.seconds", 10, 60);
        SplittableRandom random = Settings.random("churn");
        Path work = Files.createTempDirectory(Settings.workDir(), "churn-");
        Path data = work.resolve("data");
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.max-segment-age", "1s")
                .set("segments.rotation-check-interval", "1s")
                .set("segments.archive-after", "1s")
                .set("segments.retention-check-interval", "1s")
                .set("segments.archive-compression-level", "3")
                .set("segments.max-total-size", "300K")
                .set("segments.fsync", "interval");
        List<String> failures = new ArrayList<>();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Map<String, Long> answers = new ConcurrentHashMap<>();
        Map<UUID, String> notFound = new ConcurrentHashMap<>();
        AtomicLong documentsRead = new AtomicLong();
        try {
            service.start();
            Api setup = new Api(service);
            Handles baseline = handles(service.pid(), data);
            Ledger ledger = new Ledger(1);
            List<Ledger.Ack> recent = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            Api api = new Api(service);
            List<Thread> threads = new ArrayList<>();
            // The writer.
            threads.add(Thread.ofPlatform().name("churn-writer").start(() -> {
                while (!stop.get()) {
                    try {
                        List<Long> uids = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            uids.add(ledger.nextUid());
                        }
                        Api.Response written = api.post("/api/v1/documents", "application/json", Docs.jsonArray(uids));
                        count(answers, "write " + written.status());
                        if (written.status() == 201) {
                            List<Ledger.Ack> acks = ledger.acknowledge(uids, written.json(), true, 1);
                            synchronized (recent) {
                                recent.addAll(acks);
                                if (recent.size() > 20_000) {
                                    recent.subList(0, 10_000).clear();
                                }
                            }
                        } else {
                            problems.add("write: " + written);
                        }
                        Thread.sleep(40);
                    } catch (Exception e) {
                        problems.add("writer: " + e);
                    }
                }
            }));
            // The readers.
            for (int r = 0; r < 4; r++) {
                int kind = r;
                SplittableRandom own = random.split();
                threads.add(Thread.ofPlatform().name("churn-reader-" + r).start(() -> {
                    while (!stop.get()) {
                        try {
                            switch (kind) {
                                case 0 -> get(api, recent, own, answers, notFound, problems, documentsRead);
                                case 1 -> pagedScan(api, own, answers, problems, documentsRead);
                                case 2 -> streamedScan(api, answers, problems, documentsRead);
                                default -> search(api, answers, problems, documentsRead);
                            }
                        } catch (Exception e) {
                            problems.add(Thread.currentThread().getName() + ": " + e);
                        }
                    }
                }));
            }
            long sampleEvery = Math.max(1, seconds / 5);
            List<Handles> during = new ArrayList<>();
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(1000);
                if (!service.isAlive()) {
                    failures.add("the service died during the churn (SIGBUS?): see " + service.log());
                    break;
                }
                if (s % sampleEvery == 0) {
                    during.add(handles(service.pid(), data));
                }
            }
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            api.close();
            failures.addAll(problems.stream().limit(40).toList());
            // Every 404 was a document of an evicted segment.
            List<JsonNode> events = setup.events();
            Set<String> evicted = new HashSet<>();
            Map<String, Long> eventCounts = new TreeMap<>();
            for (JsonNode event : events) {
                eventCounts.merge(event.get("type").asText(), 1L, Long::sum);
                if (event.get("type").asText().equals("SEGMENT_EVICTED")) {
                    evicted.add(event.get("segment").asText());
                }
            }
            notFound.forEach((id, segment) -> {
                if (!evicted.contains(segment)) {
                    failures.add("get " + id + " answered 404 but its segment " + segment + " was not evicted");
                }
            });
            // Back to baseline: evict everything, let the last readers go, compare.
            setup.post("/api/v1/segments/rotate", null, new byte[0]);
            for (JsonNode segment : setup.segments()) {
                if (!segment.get("state").asText().equals("ACTIVE")) {
                    setup.delete("/api/v1/segments/" + segment.get("id").asText());
                }
            }
            setup.close();
            Handles after = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                after = handles(service.pid(), data);
                if (after.dataFds() <= baseline.dataFds()
                        && after.dataMaps() <= baseline.dataMaps()
                        && after.deleted().isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            }
            if (after.dataFds() != baseline.dataFds()
                    || after.dataMaps() != baseline.dataMaps()
                    || !after.deleted().isEmpty()
                    || after.fds() > baseline.fds() + 16) {
                failures.add("handles not back to baseline: before " + baseline + ", after " + after);
            }
            String log = service.logOfLastStart();
            for (String line : log.lines().toList()) {
                if (line.contains(" ERROR ") || line.contains("SIGBUS") || line.contains("fatal error")) {
                    failures.add("service log: " + line);
                }
            }
            int maxMaps = during.stream().mapToInt(Handles::dataMaps).max().orElse(0);
            int maxFds = during.stream().mapToInt(Handles::fds).max().orElse(0);
            Figures.record(
                    "churn",
                    "%d s: %d documents written, %d read back; answers %s; journal %s; handles "
                            + "baseline %s, peak during %d fds / %d segment maps, after %s",
                    seconds,
                    ledger.acked.size(),
                    documentsRead.get(),
                    new TreeMap<>(answers),
                    eventCounts,
                    baseline,
                    maxFds,
                    maxMaps,
                    after);
        } finally {
            service.kill();
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (log " + service.log() + "):\n" + String.join("\n", failures));
        }
        TestFiles.deleteRecursively(work);
    }

    private static void count(Map<String, Long> answers, String key) {
        answers.merge(key, 1L, Long::sum);
    }

    /** 503 segment-moved is documented (a read raced with rotation/archive more often than its retries). */
    private static boolean moved(Api.Response response) {
        return response.status() == 503 && response.text().contains("segment-moved");
    }

    private static void get(
            Api api,
            List<Ledger.Ack> recent,
            SplittableRandom random,
            Map<String, Long> answers,
            Map<UUID, String> notFound,
            Queue<String> problems,
            AtomicLong read)
            throws Exception {
        Ledger.Ack ack;
        synchronized (recent) {
            if (recent.isEmpty()) {
                Thread.sleep(10);
                return;
            }
            int newest = Math.min(recent.size(), 2_000); // mostly documents still there, some just evicted
            ack = recent.get(recent.size() - 1 - random.nextInt(newest));
        }
        Api.Response got = api.get("/api/v1/documents/" + ack.id());
        count(answers, "get " + got.status());
        if (got.status() == 200) {
            read.incrementAndGet();
            if (!Docs.matches(got.json().get("source"), ack.uid())) {
                problems.add("get returned other content: " + got);
            }
        } else if (got.status() == 404 && got.isProblem()) {
            notFound.put(ack.id(), ack.segment());
        } else if (!moved(got)) {
            problems.add("get " + ack.id() + ": " + got);
        }
    }

    private static void pagedScan(
            Api api, SplittableRandom random, Map<String, Long> answers, Queue<String> problems, AtomicLong read)
            throws Exception {
        String cursor = null;
        UUID last = null;
        do {
            Api.Response page = api.get("/api/v1/documents?limit=" + (10 + random.nextInt(300))
                    + (cursor == null ? "" : "&cursor=" + Api.enc(cursor)));
            count(answers, "scan page " + page.status());
            if (page.status() != 200) {
                if (!moved(page)) {
                    problems.add("scan page: " + page);
                }
                return;
            }
            JsonNode body = page.json();
            for (JsonNode doc : body.get("documents")) {
                last = checkScanned(doc, last, problems);
                read.incrementAndGet();
            }
            JsonNode next = body.get("next");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
    }

    private static void streamedScan(Api api, Map<String, Long> answers, Queue<String> problems, AtomicLong read)
            throws Exception {
        UUID[] last = {null};
        try {
            int status = api.scanNdjson("", doc -> {
                last[0] = checkScanned(doc, last[0], problems);
                read.incrementAndGet();
            });
            count(answers, "ndjson scan " + status);
            if (status != 200) {
                problems.add("NDJSON scan answered " + status);
            }
        } catch (IOException cut) {
            count(answers, "ndjson scan cut");
            problems.add("NDJSON scan cut off mid-stream: " + cut);
        }
    }

    private static void search(Api api, Map<String, Long> answers, Queue<String> problems, AtomicLong read)
            throws Exception {
        Api.Response page = api.postJson(
                "/api/v1/documents/search",
                "{\"filter\":{\"$or\":[{\"level\":\"error\"},{\"http.status\":{\"$gte\":500}}]},\"limit\":1000}");
        count(answers, "search " + page.status());
        if (page.status() != 200) {
            if (!moved(page)) {
                problems.add("search: " + page);
            }
            return;
        }
        UUID last = null;
        for (JsonNode doc : page.json().get("documents")) {
            last = checkScanned(doc, last, problems);
            read.incrementAndGet();
            JsonNode source = doc.get("source");
            if (!source.get("level").asText().equals("error")
                    && source.get("http").get("status").asInt() < 500) {
                problems.add("search returned a document that does not match: " + doc);
            }
        }
    }

    private static UUID checkScanned(JsonNode doc, UUID last, Queue<String> problems) {
        UUID id = UUID.fromString(doc.get("id").asText());
        if (last != null && Ids.compare(id, last) <= 0) {
            problems.add("scan out of order: " + id + " after " + last);
        }
        JsonNode source = doc.get("source");
        if (!Docs.matches(source, source.path("uid").asLong(-1))) {
            problems.add("scan returned a damaged document: " + doc);
        }
        return id;
    }
}
