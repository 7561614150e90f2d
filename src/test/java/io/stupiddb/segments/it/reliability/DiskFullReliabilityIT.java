package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.testing.Mounts;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue item 2, disk full, on a real full file system: the packaged service's data directory is a
 * 6 MiB tmpfs ({@code segments.min-free-disk=0}, so the store meets ENOSPC itself rather than its
 * own threshold), mostly taken by a ballast file. Concurrent writers (single documents and
 * batches; segments rotate at 1M) fill it. Checks: a write that does not fit gets 507
 * problem+json and nothing else; reads go on; nothing acknowledged is lost across a SIGKILL while
 * the disk is full, a restart while it is still full, and a SIGKILL after space is freed; the
 * active segment is recovered, never quarantined; once the ballast is deleted, writes (and
 * rotation) succeed again.
 *
 * <p>Needs root and mount (skipped otherwise, with the reason; see docs/RELIABILITY.md).
 */
class DiskFullReliabilityIT {

    @Test
    void diskFullRefusesWithInsufficientStorageLosesNothingAndRecovers() throws Exception {
        Assumptions.assumeTrue(Mounts.tmpfsAvailable(), "needs root and mount -t tmpfs (not available here)");
        SplittableRandom random = Settings.random("disk-full");
        Path work = Files.createTempDirectory(Settings.workDir(), "disk-full-");
        Path mnt = work.resolve("mnt");
        List<String> failures = new ArrayList<>();
        Map<String, Integer> fillStatuses = new TreeMap<>();
        Ledger ledger = new Ledger(1);
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.data-dir", mnt.resolve("data").toString())
                .set("segments.max-segment-size", "1M")
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        Api api = new Api(service);
        StoreCheck check = new StoreCheck(api, ledger);
        try (Mounts.Mount mount = Mounts.tmpfs(mnt, 6 * 1024)) {
            service.start();
            Path ballast = mnt.resolve("ballast");
            long free = Files.getFileStore(mnt).getUsableSpace();
            fill(ballast, free - 1_700_000);
            // 1. Fill the rest: 201 while it fits, then 507 and nothing else.
            AtomicInteger consecutive507 = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    while (consecutive507.get() < 30) {
                        try {
                            int size = writer == 0 ? 1 : 1 + random.split().nextInt(40);
                            List<Long> uids = new ArrayList<>();
                            for (int i = 0; i < size; i++) {
                                uids.add(ledger.nextUid());
                            }
                            Api.Response response = writer == 0
                                    ? api.post("/api/v1/documents", "application/json", Docs.json(uids.getFirst()))
                                    : api.post("/api/v1/documents", "application/x-ndjson", Docs.ndjson(uids));
                            synchronized (fillStatuses) {
                                fillStatuses.merge(
                                        response.status()
                                                + (response.status() == 507
                                                                && response.text()
                                                                        .contains("disk full")
                                                        ? " (ENOSPC)"
                                                        : ""),
                                        1,
                                        Integer::sum);
                            }
                            if (response.status() == 201) {
                                ledger.acknowledge(uids, response.json(), writer != 0, 1);
                                consecutive507.set(0);
                            } else if (response.status() == 507
                                    && response.isProblem()
                                    && response.text().contains("insufficient-storage")) {
                                consecutive507.incrementAndGet();
                            } else {
                                ledger.problem("write while filling: " + response);
                                consecutive507.incrementAndGet();
                            }
                        } catch (Exception e) {
                            ledger.problem("write while filling: " + e);
                            return;
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join(120_000);
            }
            failures.addAll(ledger.problems);
            ledger.problems.clear();
            int ackedWhenFull = ledger.acked.size();
            // 2. While full: reads go on.
            for (Ledger.Ack ack : ledger.acked.values().stream().limit(200).toList()) {
                Api.Response got = api.get("/api/v1/documents/" + ack.id());
                if (got.status() != 200 || !Docs.matches(got.json().get("source"), ack.uid())) {
                    failures.add("read while full: " + got);
                }
            }
            // 3. SIGKILL while full; free the space; restart: the active segment is recovered, nothing lost.
            //    (A restart while the disk is still full fails: see the known bug below.)
            service.kill();
            Files.delete(ballast);
            service.start();
            for (String f : check.verify(1, 100, random).failures()) {
                failures.add("after a SIGKILL on the full disk and a restart: " + f);
            }
            // 4. Writes succeed again, across a size rotation, and a manual rotation too.
            int okAfter = 0;
            for (int i = 0; i < 60; i++) { // ~1.5 MB: crosses the 1M size rotation
                List<Long> uids = new ArrayList<>();
                for (int j = 0; j < 40; j++) {
                    uids.add(ledger.nextUid());
                }
                Api.Response written = api.post("/api/v1/documents", "application/json", Docs.jsonArray(uids));
                if (written.status() == 201) {
                    ledger.acknowledge(uids, written.json(), true, 2);
                    okAfter++;
                } else {
                    failures.add("write after space was freed: " + written);
                    break;
                }
            }
            Api.Response rotated = api.post("/api/v1/segments/rotate", null, new byte[0]);
            if (rotated.status() != 200) {
                failures.add("rotate after space was freed: " + rotated);
            }
            // 5. SIGKILL and restart: everything acknowledged (before, during and after the full disk) is there.
            service.kill();
            service.start();
            for (String f : check.verify(2, 200, random).failures()) {
                failures.add("after the final restart: " + f);
            }
            JsonNode ready = api.readiness();
            Figures.record(
                    "disk full",
                    "tmpfs 6 MiB: %d documents acknowledged until the disk was full, write "
                            + "answers while filling %s; after SIGKILL on the full disk and freeing space: recovered; "
                            + "%d/60 batches of 40 written after; %d acknowledged in all, lost %d; readiness %s",
                    ackedWhenFull,
                    fillStatuses,
                    okAfter,
                    ledger.acked.size(),
                    ledger.acked.size() - countPresent(api, ledger),
                    ready.path("status").asText());
        } finally {
            service.kill(); // before the unmount
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (log " + service.log() + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
        TestFiles.deleteRecursively(work);
    }

    /**
     * Every operation that needs new space on a full disk should be refused like a write (507
     * problem+json, SPEC §2), the store staying usable. Three that are not: a manual rotation (seal
     * writes index and footer), a write that must create a new active segment (header), a write
     * that first rotates a full-size active segment.
     */
    @Test
    void everyOperationThatNeedsSpaceOnAFullDiskIsA507() throws Exception {
        Assumptions.assumeTrue(Mounts.tmpfsAvailable(), "needs root and mount -t tmpfs (not available here)");
        Path work = Files.createTempDirectory(Settings.workDir(), "disk-full-507-");
        Path mnt = work.resolve("mnt");
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.data-dir", mnt.resolve("data").toString())
                .set("segments.max-segment-size", "64K")
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        Api api = new Api(service);
        List<String> failures = new ArrayList<>();
        try (Mounts.Mount mount = Mounts.tmpfs(mnt, 4 * 1024)) {
            service.start();
            long uid = 1;
            // (a) manual rotation of an active segment holding 300 documents (index + footer > one page).
            List<Long> uids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                uids.add(uid++);
            }
            expect201(api.post("/api/v1/documents", "application/json", Docs.jsonArray(uids)));
            Path ballast = mnt.resolve("ballast");
            fillToTheBrim(ballast);
            check507(
                    "POST /segments/rotate on a full disk",
                    api.post("/api/v1/segments/rotate", null, new byte[0]),
                    failures);
            // (b) a write that first rotates the full-size (> 64K) active segment.
            check507(
                    "a write that rotates on a full disk",
                    api.post("/api/v1/documents", "application/json", Docs.json(uid++)),
                    failures);
            // (c) a write that must create a new active segment.
            Files.delete(ballast);
            expect201(api.post("/api/v1/documents", "application/json", Docs.json(uid++)));
            if (api.post("/api/v1/segments/rotate", null, new byte[0]).status() != 200) {
                failures.add("rotate with free space did not seal");
            }
            fillToTheBrim(ballast);
            check507(
                    "a write that creates a new active segment on a full disk",
                    api.post("/api/v1/documents", "application/json", Docs.json(uid++)),
                    failures);
            // And the store is still usable once space is back.
            Files.delete(ballast);
            Api.Response after = api.post("/api/v1/documents", "application/json", Docs.json(uid));
            if (after.status() != 201) {
                failures.add("write once space is back: " + after);
            }
        } finally {
            service.kill();
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
        TestFiles.deleteRecursively(work);
    }

    /**
     * SPEC §2: with too little disk "writes get 507, reads go on". After a crash on a full disk the
     * service does not come back until space is freed: recovery seals the active segment, which
     * needs space for its index and footer, and the store does not open.
     */
    @Test
    void afterACrashOnAFullDiskTheServiceStartsAndServesReads() throws Exception {
        Assumptions.assumeTrue(Mounts.tmpfsAvailable(), "needs root and mount -t tmpfs (not available here)");
        Path work = Files.createTempDirectory(Settings.workDir(), "disk-full-restart-");
        Path mnt = work.resolve("mnt");
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.data-dir", mnt.resolve("data").toString())
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        Api api = new Api(service);
        try (Mounts.Mount mount = Mounts.tmpfs(mnt, 4 * 1024)) {
            service.start();
            List<Long> uids = new ArrayList<>();
            for (long i = 1; i <= 300; i++) {
                uids.add(i);
            }
            Api.Response written = api.post("/api/v1/documents", "application/json", Docs.jsonArray(uids));
            expect201(written);
            fillToTheBrim(mnt.resolve("ballast"));
            service.kill();
            try {
                service.start(Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                fail("the service does not start on the full disk: "
                        + e.getMessage()
                                .lines()
                                .filter(l -> l.contains("Caused by") || l.contains("ERROR"))
                                .limit(3)
                                .toList());
            }
            String first = written.json().get("documents").get(0).get("id").asText();
            Api.Response got = api.get("/api/v1/documents/" + first);
            if (got.status() != 200) {
                fail("read after a restart on the full disk: " + got);
            }
        } finally {
            service.kill();
        }
        TestFiles.deleteRecursively(work);
    }

    private static void expect201(Api.Response response) {
        if (response.status() != 201) {
            throw new AssertionError("expected 201: " + response);
        }
    }

    private static void check507(String what, Api.Response response, List<String> failures) {
        if (response.status() != 507 || !response.isProblem()) {
            failures.add(what + ": " + response);
        }
    }

    /** Writes {@code file} until the file system has no byte left (ENOSPC). */
    private static void fillToTheBrim(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int size = 1 << 20; size >= 1; size /= 2) {
                ByteBuffer block = ByteBuffer.allocate(size);
                while (true) {
                    try {
                        block.clear();
                        channel.write(block);
                    } catch (java.io.IOException full) {
                        break;
                    }
                }
            }
        }
    }

    private static long countPresent(Api api, Ledger ledger) throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        api.scanNdjson("", d -> ids.add(d.get("id").asText()));
        return ledger.acked.keySet().stream()
                .filter(id -> ids.contains(id.toString()))
                .count();
    }

    /** A file of {@code bytes} real (not sparse) bytes. */
    private static void fill(Path file, long bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(64 * 1024);
            long written = 0;
            while (written < bytes) {
                block.clear().limit((int) Math.min(block.capacity(), bytes - written));
                written += channel.write(block);
            }
        }
    }
}
