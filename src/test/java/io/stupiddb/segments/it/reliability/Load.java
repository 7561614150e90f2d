package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Concurrent HTTP traffic against the service: writers (one JSON document, JSON arrays, NDJSON,
 * MessagePack maps and arrays), readers (gets of acknowledged ids checked against their content,
 * paged scans checked for order and content) and optionally a lifecycle driver (manual rotation,
 * eviction of the oldest sealed segment beyond a count). Every 201 goes into the {@link Ledger}.
 * Anything unexpected while the service is meant to be up is a ledger problem; after
 * {@link #ending()} (the kill is coming) failures are expected and ignored.
 */
final class Load {
    /** What to run. */
    record Options(int writers, int readers, boolean lifecycle, int maxSealed, int maxBatch, long pauseMillis) {}

    private final Api api;
    private final Ledger ledger;
    private final int cycle;
    private final Options options;
    private final SplittableRandom seeds;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReferenceArray<Ledger.Ack> recent = new AtomicReferenceArray<>(4096);
    private final AtomicLong recentCount = new AtomicLong();
    /** Segments a DELETE was sent for: their documents may answer 404. */
    final Set<String> evicting = ConcurrentHashMap.newKeySet();

    final AtomicLong requests = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong rotations = new AtomicLong();
    final AtomicLong evictions = new AtomicLong();
    private volatile boolean stop;
    private volatile boolean ending;

    Load(Api api, Ledger ledger, int cycle, SplittableRandom seeds, Options options) {
        this.api = api;
        this.ledger = ledger;
        this.cycle = cycle;
        this.options = options;
        this.seeds = seeds;
    }

    void start() {
        for (int i = 0; i < options.writers(); i++) {
            SplittableRandom random = seeds.split();
            int kind = i;
            threads.add(Thread.ofPlatform().name("writer-" + i).start(() -> run(() -> write(random, kind))));
        }
        for (int i = 0; i < options.readers(); i++) {
            SplittableRandom random = seeds.split();
            boolean scanner = i % 2 == 1;
            threads.add(Thread.ofPlatform()
                    .name("reader-" + i)
                    .start(() -> run(() -> {
                        if (scanner) {
                            scan(random);
                        } else {
                            get(random);
                        }
                    })));
        }
        if (options.lifecycle()) {
            SplittableRandom random = seeds.split();
            threads.add(Thread.ofPlatform().name("lifecycle").start(() -> run(() -> lifecycle(random))));
        }
    }

    /** From now on the service may die under us: errors are no longer problems. */
    void ending() {
        ending = true;
    }

    /** Stops every thread and waits for them. */
    void stop() throws InterruptedException {
        ending = true;
        stop = true;
        for (Thread thread : threads) {
            thread.join(120_000);
            if (thread.isAlive()) {
                ledger.problem(thread.getName() + " did not stop");
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void run(Step step) {
        while (!stop) {
            try {
                step.run();
                requests.incrementAndGet();
            } catch (IOException e) {
                if (!ending) {
                    ledger.problem(Thread.currentThread().getName() + ": " + e);
                }
                pause(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | AssertionError e) {
                if (!ending) {
                    ledger.problem(Thread.currentThread().getName() + ": " + e);
                }
            }
            if (options.pauseMillis() > 0) {
                pause(options.pauseMillis());
            }
        }
    }

    private void write(SplittableRandom random, int writer) throws IOException, InterruptedException {
        int kind = (writer + random.nextInt(5)) % 5;
        int size = kind == 0 || kind == 4 ? 1 : 1 + random.nextInt(options.maxBatch());
        List<Long> uids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            uids.add(ledger.nextUid());
        }
        ledger.unanswered.addAll(uids);
        Api.Response response = switch (kind) {
            case 0 -> api.post("/api/v1/documents", "application/json", Docs.json(uids.getFirst()));
            case 1 -> api.post("/api/v1/documents", "application/json", Docs.jsonArray(uids));
            case 2 -> api.post("/api/v1/documents", "application/x-ndjson", Docs.ndjson(uids));
            case 3 -> api.post("/api/v1/documents", "application/msgpack", Docs.msgpackArray(uids));
            default -> api.post("/api/v1/documents", "application/msgpack", Docs.msgpack(uids.getFirst()));
        };
        if (response.status() == 201) {
            recordRecent(ledger.acknowledge(uids, response.json(), kind != 0 && kind != 4, cycle));
            uids.forEach(ledger.unanswered::remove);
            writes.addAndGet(uids.size());
        } else {
            uids.forEach(ledger.unanswered::remove); // refused: nothing of it was written
            if (!ending) {
                ledger.problem("write of " + size + " (kind " + kind + "): " + response);
            }
        }
    }

    private void get(SplittableRandom random) throws IOException, InterruptedException {
        long count = recentCount.get();
        if (count == 0) {
            pause(20);
            return;
        }
        Ledger.Ack ack = recent.get((int) (random.nextLong(Math.min(count, recent.length()))));
        if (ack == null) {
            return;
        }
        Api.Response response = api.get("/api/v1/documents/" + ack.id());
        reads.incrementAndGet();
        if (response.status() == 200) {
            JsonNode doc = response.json();
            if (!Docs.matches(doc.get("source"), ack.uid())) {
                ledger.problem("get " + ack.id() + " returned other content: " + response);
            }
        } else if (response.status() == 404 && evicting.contains(ack.segment())) {
            // evicted on purpose
        } else if (response.status() == 503 && response.text().contains("segment-moved")) {
            // documented: a read raced with rotation or archive more often than the retries allow
        } else if (!ending) {
            ledger.problem("get " + ack.id() + " (segment " + ack.segment() + "): " + response);
        }
    }

    private void scan(SplittableRandom random) throws IOException, InterruptedException {
        boolean filtered = random.nextInt(3) == 0;
        String cursor = null;
        UUID last = null;
        int pages = 0;
        do {
            String query = "/api/v1/documents?limit=" + (50 + random.nextInt(500))
                    + (filtered ? "&filter=" + Api.enc("{\"level\":\"error\"}") : "")
                    + (cursor == null ? "" : "&cursor=" + Api.enc(cursor));
            Api.Response page = api.get(query);
            reads.incrementAndGet();
            if (page.status() == 503 && page.text().contains("segment-moved")) {
                return;
            }
            if (page.status() != 200) {
                if (!ending) {
                    ledger.problem("scan page: " + page);
                }
                return;
            }
            JsonNode body = page.json();
            for (JsonNode doc : body.get("documents")) {
                UUID id = UUID.fromString(doc.get("id").asText());
                if (last != null && Ids.compare(id, last) <= 0) {
                    ledger.problem("scan went backwards or repeated: " + id + " after " + last);
                }
                last = id;
                JsonNode source = doc.get("source");
                if (!Docs.matches(source, source.path("uid").asLong(-1))) {
                    ledger.problem("scan returned a document with other content: " + doc);
                }
                if (filtered && !"error".equals(source.path("level").asText())) {
                    ledger.problem("filter {level:error} returned " + doc);
                }
            }
            JsonNode next = body.get("next");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null && !stop && ++pages < 50);
    }

    private void lifecycle(SplittableRandom random) throws IOException, InterruptedException {
        pause(100 + random.nextInt(400));
        if (stop) {
            return;
        }
        if (random.nextInt(3) == 0) {
            Api.Response rotated = api.post("/api/v1/segments/rotate", null, new byte[0]);
            if (rotated.status() == 200 || rotated.status() == 204) {
                rotations.incrementAndGet();
            } else if (!ending) {
                ledger.problem("rotate: " + rotated);
            }
        }
        // Keep the store bounded: evict the oldest sealed segments beyond maxSealed.
        List<JsonNode> sealed = api.segments().stream()
                .filter(s -> !s.get("state").asText().equals("ACTIVE"))
                .toList();
        for (int i = 0; i < sealed.size() - options.maxSealed() && !stop; i++) {
            String oldest = sealed.get(i).get("id").asText();
            evicting.add(oldest);
            Api.Response evicted = api.delete("/api/v1/segments/" + oldest);
            if (evicted.status() == 200) {
                evictions.incrementAndGet();
            } else if (evicted.status() != 404 && !ending) {
                ledger.problem("evict " + oldest + ": " + evicted);
            }
        }
    }

    /** Called by the writers with the acks of one answer (so readers can pick recent ones). */
    void recordRecent(List<Ledger.Ack> acks) {
        for (Ledger.Ack ack : acks) {
            recent.set((int) (recentCount.getAndIncrement() % recent.length()), ack);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
