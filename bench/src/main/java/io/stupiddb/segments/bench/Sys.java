package io.stupiddb.segments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
