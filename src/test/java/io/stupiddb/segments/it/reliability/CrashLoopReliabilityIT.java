package io.stupiddb.segments.it.reliability;

import io.stupiddb.segments.testing.ServiceLauncher;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue item 1, crash loop: the packaged service under concurrent HTTP writes (single documents,
 * JSON arrays, NDJSON, MessagePack), gets, paged scans, manual rotations and evictions, plus its own
 * scheduled rotation (age 2 s, size 256K) and archive (after 2 s), is SIGKILLed at a random moment
 * and restarted on the same data directory, again and again. The fsync mode changes every cycle
 * (always, interval, never, always, …), so every mode is killed in every lifecycle phase and
 * recovers what another mode wrote. After each restart {@link StoreCheck} checks that nothing
 * acknowledged is lost or changed, nothing appears twice and the journal is consistent.
 *
 * <p>{@code -Dreliability.cycles} (CI 10, long run 200).
 */
class CrashLoopReliabilityIT {
    enum Mode {
        ALWAYS,
        INTERVAL,
        NEVER;

        String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void sigkillUnderLoadLosesNothingAcknowledged() throws Exception {
        int cycles = Settings.integer("reliability.cycles", 10, 200);
        SplittableRandom random = Settings.random("crash-loop");
        Path work = Files.createTempDirectory(Settings.workDir(), "crash-loop-");
        ServiceLauncher service = Services.launcher(work, work.resolve("service.log"))
                .set("segments.max-segment-size", "256K")
                .set("segments.max-segment-age", "2s")
                .set("segments.rotation-check-interval", "1s")
                .set("segments.archive-after", "2s")
                .set("segments.retention-check-interval", "1s")
                .set("segments.archive-compression-level", "3")
                .set("segments.fsync-interval", "1s");
        Ledger ledger = new Ledger(1);
        Api api = new Api(service);
        StoreCheck check = new StoreCheck(api, ledger);
        Map<Mode, long[]> perMode = new EnumMap<>(Mode.class); // acked, lost, cycles
        for (Mode mode : Mode.values()) {
            perMode.put(mode, new long[3]);
        }
        List<String> failures = new ArrayList<>();
        long startMillis = 0;
        long totalAcked = 0;
        long totalLost = 0;
        long begin = System.nanoTime();
        try {
            service.set("segments.fsync", Mode.ALWAYS.value());
            startMillis += service.start();
            for (int c = 1; c <= cycles && failures.isEmpty(); c++) {
                final int cycle = c;
                Mode mode = Mode.values()[(cycle - 1) % 3]; // the mode the running service has
                Load load = new Load(api, ledger, cycle, random.split(), new Load.Options(4, 2, true, 12, 40, 0));
                load.start();
                // Let it run, then kill at a random moment (after at least one ack).
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1500));
                long giveUp = until + TimeUnit.SECONDS.toNanos(30);
                while ((System.nanoTime() < until || load.writes.get() == 0) && System.nanoTime() < giveUp) {
                    Thread.sleep(10);
                }
                load.ending();
                service.kill();
                load.stop();
                if (!ledger.problems.isEmpty()) {
                    failures.add("cycle " + cycle + " [" + mode + "] while up: " + List.copyOf(ledger.problems));
                    ledger.problems.clear();
                }
                long ackedThisCycle = ledger.acked.values().stream()
                        .filter(a -> a.cycle() == cycle)
                        .count();
                // Restart (in the next cycle's mode) and check.
                service.set("segments.fsync", Mode.values()[cycle % 3].value());
                startMillis += service.start();
                long verifyStart = System.nanoTime();
                StoreCheck.Result result = check.verify(cycle, 20, random);
                long verifyMillis = (System.nanoTime() - verifyStart) / 1_000_000;
                failures.addAll(result.failures().stream()
                        .map(f -> "cycle " + cycle + " [" + mode + "] " + f)
                        .toList());
                long[] figures = perMode.get(mode);
                figures[0] += ackedThisCycle;
                figures[1] += result.lost();
                figures[2]++;
                totalAcked += ackedThisCycle;
                totalLost += result.lost();
                System.out.printf(
                        "crash loop cycle %d [%s]: %d acked (%d requests, %d rotations, %d evictions), "
                                + "in flight: %d kept, %d gone; after restart: %d documents, %d events, lost %d (checked in %d ms)%n",
                        cycle,
                        mode.value(),
                        ackedThisCycle,
                        load.requests.get(),
                        load.rotations.get(),
                        load.evictions.get(),
                        result.inFlightKept(),
                        result.inFlightGone(),
                        result.scanned(),
                        result.events(),
                        result.lost(),
                        verifyMillis);
            }
            // Finally a graceful stop, and the operator's tool agrees that every file is intact.
            int exit = service.stop();
            if (exit != 0 && exit != 143) {
                failures.add("graceful stop exited with " + exit);
            }
            String verify = SegmentTool.verify(work.resolve("data"));
            if (!verify.startsWith("0:")) {
                failures.add("segment-tool verify after the crash loop: " + verify);
            }
        } finally {
            service.kill();
        }
        long seconds = (System.nanoTime() - begin) / 1_000_000_000;
        StringBuilder modes = new StringBuilder();
        perMode.forEach((mode, f) ->
                modes.append(String.format("%s: %d cycles, %d acked, %d lost; ", mode.value(), f[2], f[0], f[1])));
        Figures.record(
                "crash loop",
                "%d SIGKILL cycles in %d s (mean start %d ms): %d documents acknowledged, "
                        + "%d lost; %d of them found intact after at least one SIGKILL and restart, the others "
                        + "evicted on purpose (checked gone) before the next kill; %s",
                cycles,
                seconds,
                startMillis / (cycles + 1L),
                totalAcked,
                totalLost,
                check.verifiedAfterRestart(),
                modes);
        if (!failures.isEmpty()) {
            fail(failures.size() + " failures (data in " + work + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
        }
        TestFiles.deleteRecursively(work);
    }
}
