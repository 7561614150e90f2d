package io.stupiddb.segments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small OS helpers for the benchmarks: du, peak RSS of processes, commands. */
final class Sys {
    private Sys() {
    }

    /** Allocated bytes under {@code dir} (du -s -B1), what the file system really holds. */
    static long du(Path dir) throws IOException, InterruptedException {
        String out = run(List.of("du", "-s", "-B1", dir.toString())).trim();
        return Long.parseLong(out.split("\\s+")[0]);
    }

    /**
     * The share of the machine's CPU time (every core) that was busy over {@code window}, from
     * {@code /proc/stat}: user, nice, system, irq, softirq and steal against the total.
     */
    static double cpuBusy(Duration window) throws IOException, InterruptedException {
        long[] before = cpuTimes();
        Thread.sleep(window.toMillis());
        long[] after = cpuTimes();
        long busy = after[0] - before[0];
        long total = after[1] - before[1];
        return total == 0 ? 0 : (double) busy / total;
    }

    /**
     * Waits until the machine has been nearly idle (≤ {@code threshold} busy) for one second,
     * giving up after {@code timeout}; the busy share of the last second seen. A measurement that
     * starts while another side's background work (a compaction, a checkpoint, autovacuum) still
     * runs would pay for it.
     */
    static double awaitIdle(double threshold, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        double busy;
        do {
            busy = cpuBusy(Duration.ofSeconds(1));
        } while (busy > threshold && System.nanoTime() < deadline);
        return busy;
    }

    /** Busy and total jiffies of all cores (the {@code cpu} line of /proc/stat). */
    private static long[] cpuTimes() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq + steal;
        return new long[] {busy, busy + idle + iowait};
    }

    /** VmHWM (peak resident set) of a process in kB, -1 if it is gone. */
    static long vmHwmKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** A process and all its descendants (by /proc/PID/stat ppid). */
    static List<Long> processTree(long root) throws IOException {
        List<long[]> all = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path p : dirs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    all.add(new long[] {Long.parseLong(name), Long.parseLong(rest[1])});
                } catch (IOException | RuntimeException gone) {
                    // exited meanwhile
                }
            }
        }
        List<Long> tree = new ArrayList<>(List.of(root));
        for (int i = 0; i < tree.size(); i++) {
            for (long[] pp : all) {
                if (pp[1] == tree.get(i)) {
                    tree.add(pp[0]);
                }
            }
        }
        return tree;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static String runQuietly(List<String> command) {
        try {
            return run(command).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    static void deleteAll(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }
}
