package io.stupiddb.segments.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.testing.Mounts;
import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What each {@code segments.fsync} mode keeps when the machine loses power, measured. A SIGKILL
 * (the crash loop) loses nothing in any mode: the page cache survives the process. A power cut
 * loses what the kernel had not yet written to the device. Simulated here: the packaged service
 * writes (3 concurrent writers) to an ext4 file system on a loop device; at a random moment it is
 * frozen (SIGSTOP) and the device's backing file is copied while the loop device does no I/O
 * (its /sys/block stat is the same before and after the copy); that copy is the disk as the power
 * cut left it. The store is then opened on the copy (ext4 replays its journal, the store recovers
 * its active segment) and every acknowledged document is looked up.
 *
 * <p>Checks: the store opens and quarantines nothing; what survived is byte for byte what was sent,
 * each document once; {@code always} loses nothing acknowledged; {@code interval} loses only
 * documents acknowledged within the last interval (+0.5 s); for every mode the survivors of the
 * active segment are a prefix (nothing lost before something kept). Reported: lost documents and
 * the oldest lost acknowledgement's age at the cut, per mode.
 *
 * <p>Needs root, loop devices and mkfs.ext4 (skipped otherwise). {@code -Dreliability.powercut.cycles}
 * per mode (CI 1, long run 4).
 */
class PowerCutReliabilityIT {
    private static final long INTERVAL_MILLIS = 1000;

    @Test
    void powerCutLosesAtMostWhatTheFsyncModeAllows() throws Exception {
        Assumptions.assumeTrue(Mounts.loopAvailable(), "needs root, loop devices and mkfs.ext4 (not available here)");
        int cycles = Settings.integer("reliability.powercut.cycles", 1, 4);
        SplittableRandom random = Settings.random("power-cut");
        Path work = Files.createTempDirectory(Settings.workDir(), "power-cut-");
        List<String> failures = new ArrayList<>();
        StringBuilder figures = new StringBuilder();
        for (CrashLoopReliabilityIT.Mode mode : CrashLoopReliabilityIT.Mode.values()) {
            long acked = 0;
            long lost = 0;
            long worstWindow = -1;
            for (int cycle = 1; cycle <= cycles; cycle++) {
                long[] result = cycle(work.resolve(mode.value() + "-" + cycle), mode, random, failures);
                acked += result[0];
                lost += result[1];
                worstWindow = Math.max(worstWindow, result[2]);
            }
            figures.append(String.format(
                    "%s: %d acknowledged, %d lost%s; ",
                    mode.value(),
                    acked,
                    lost,
                    lost == 0 ? "" : ", oldest lost ack " + worstWindow + " ms before the cut"));
        }
        Figures.record("power cut", "%d cut(s) per mode on ext4 (loop), fsync-interval 1s: %s", cycles, figures);
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (data in " + work + "):\n" + String.join("\n", failures));
        }
        TestFiles.deleteRecursively(work);
    }

    /** One cut; returns {acknowledged, lost, oldest lost ack's age at the cut in ms (-1: none)}. */
    private long[] cycle(Path dir, CrashLoopReliabilityIT.Mode mode, SplittableRandom random, List<String> failures)
            throws Exception {
        Files.createDirectories(dir);
        Path image = dir.resolve("disk.img");
        Path snapshot = dir.resolve("cut.img");
        Ledger ledger = new Ledger(1);
        ServiceLauncher service = Services.launcher(dir, dir.resolve("service.log"))
                .set("segments.data-dir", dir.resolve("mnt").resolve("data").toString())
                .set("segments.fsync", mode.value())
                .set("segments.fsync-interval", INTERVAL_MILLIS + "ms")
                .set("segments.rotation-check-interval", "1h")
                .set("segments.retention-check-interval", "1h");
        long cutNanos;
        try (Mounts.Mount mount = Mounts.ext4(image, 64, dir.resolve("mnt"))) {
            String loop = Mounts.loopDevice(mount.point());
            try {
                service.start();
                Load load =
                        new Load(new Api(service), ledger, 1, random.split(), new Load.Options(3, 0, false, 0, 20, 0));
                load.start();
                Thread.sleep(1500 + random.nextInt(2500));
                // The cut: freeze the process, let answers already sent arrive, copy the device while it is idle.
                load.ending();
                signal("STOP", service.pid());
                cutNanos = System.nanoTime();
                Thread.sleep(200);
                copyWhileIdle(image, snapshot, loop);
                service.kill();
                load.stop();
            } finally {
                service.kill();
            }
        }
        // Power back on: the copy is the disk.
        long lost = 0;
        long oldestLost = -1;
        try (Mounts.Mount mount = Mounts.mountImage(snapshot, dir.resolve("after"))) {
            Path data = mount.point().resolve("data");
            try (SegmentStore store =
                    SegmentStore.open(StoreConfig.builder(data).minFreeDisk(0).build(), InstantSource.system())) {
                // Without fsync per write, pages may reach the disk out of order: a hole with intact
                // records after it in the active file. Recovery keeps the prefix and a copy of the
                // file as found (reported like damage). With fsync always nothing may be set aside.
                for (String entry : store.quarantined()) {
                    if (mode.value().equals("always") || !entry.contains("active segment damaged")) {
                        failures.add(mode + ": quarantined after the power cut: " + entry);
                    } else {
                        System.out.println("power cut [" + mode + "]: " + entry);
                    }
                }
                // Everything stored is what was sent, once.
                Map<UUID, Long> present = new HashMap<>();
                Set<Long> uids = new HashSet<>();
                try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                    while (cursor.advance()) {
                        StoredDocument doc = cursor.document();
                        JsonNode source = json(doc.source());
                        long uid = source.path("uid").asLong(-1);
                        if (!Docs.matches(source, uid) || !uids.add(uid)) {
                            failures.add(mode + ": wrong or repeated document after the power cut: " + source);
                        }
                        present.put(doc.id(), uid);
                    }
                }
                Map<String, UUID> newestKept = new HashMap<>();
                Map<String, UUID> oldestLostId = new HashMap<>();
                for (Ledger.Ack ack : ledger.acked.values()) {
                    Long uid = present.get(ack.id());
                    if (uid == null) {
                        lost++;
                        long age = TimeUnit.NANOSECONDS.toMillis(cutNanos - ack.ackedAtNanos());
                        oldestLost = Math.max(oldestLost, age);
                        oldestLostId.merge(ack.segment(), ack.id(), (a, b) -> Ids.compare(a, b) < 0 ? a : b);
                        if (mode == CrashLoopReliabilityIT.Mode.INTERVAL && age > INTERVAL_MILLIS + 500) {
                            failures.add(
                                    "interval: lost a document acknowledged " + age + " ms before the cut: " + ack);
                        }
                    } else {
                        if (uid != ack.uid()) {
                            failures.add(mode + ": id " + ack.id() + " holds another document");
                        }
                        newestKept.merge(ack.segment(), ack.id(), (a, b) -> Ids.compare(a, b) > 0 ? a : b);
                    }
                }
                oldestLostId.forEach((segment, id) -> {
                    UUID kept = newestKept.get(segment);
                    if (kept != null && Ids.compare(kept, id) > 0) {
                        failures.add(mode + ": a hole: " + id + " lost but the later " + kept + " kept in " + segment);
                    }
                });
                if (ledger.acked.isEmpty()) {
                    failures.add(mode + ": nothing was acknowledged before the cut");
                }
            }
        }
        if (mode == CrashLoopReliabilityIT.Mode.ALWAYS && lost > 0) {
            failures.add("always: lost " + lost + " acknowledged documents (oldest acked " + oldestLost
                    + " ms before the cut)");
        }
        System.out.printf(
                "power cut [%s]: %d acknowledged, %d lost (oldest lost ack %d ms before the cut)%n",
                mode.value(), ledger.acked.size(), lost, oldestLost);
        if (failures.isEmpty()) {
            TestFiles.deleteRecursively(dir);
        }
        return new long[] {ledger.acked.size(), lost, oldestLost};
    }

    private static JsonNode json(byte[] msgpack) throws Exception {
        return Api.JSON.readTree(Api.JSON.writeValueAsBytes(Api.MSGPACK.readTree(msgpack)));
    }

    private static void signal(String signal, long pid) {
        String error = Mounts.run("kill", "-" + signal, Long.toString(pid));
        if (error != null) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + error);
        }
    }

    /** Copies the loop device's backing file at a moment the device does no I/O (its stat unchanged around the copy). */
    private static void copyWhileIdle(Path image, Path copy, String loop) throws Exception {
        Path stat = Path.of("/sys/block", loop, "stat");
        for (int attempt = 0; attempt < 20; attempt++) {
            String before = Files.readString(stat, StandardCharsets.US_ASCII).trim();
            Files.deleteIfExists(copy);
            Files.copy(image, copy);
            String after = Files.readString(stat, StandardCharsets.US_ASCII).trim();
            String[] fields = after.split("\\s+");
            if (before.equals(after) && fields.length > 8 && fields[8].equals("0")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the loop device " + loop + " never stayed idle for a copy");
    }
}
