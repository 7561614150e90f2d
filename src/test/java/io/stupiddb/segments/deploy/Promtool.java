package io.stupiddb.segments.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Prometheus's {@code promtool}, run as a process. It is not optional: a missing promtool fails
 * the test that needs it (CI installs the Debian package {@value #DEBIAN_PACKAGE}).
 */
final class Promtool {

    static final String DEBIAN_PACKAGE = "prometheus";

    /** What promtool printed and how it exited. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private Promtool() {}

    /** The promtool executable: the first on PATH, else /usr/bin/promtool; fails the test if there is none. */
    static Path executable() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "promtool"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/promtool"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("promtool is not installed (looked on PATH and at /usr/bin/promtool): install the Debian package `"
                + DEBIAN_PACKAGE + "` (apt-get install -y " + DEBIAN_PACKAGE + "), which provides /usr/bin/promtool."
                + " The alerting rules of the Helm chart are checked with it.");
    }

    /** Runs {@code promtool <arguments>} in {@code workDir}. */
    static Result run(Path workDir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("promtool did not finish within 120 s: " + command);
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
