package io.stupiddb.segments.it.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The figures a run measured, printed and appended to {@code target/reliability/figures.md}
 * (docs/RELIABILITY.md quotes the long run's).
 */
final class Figures {
    private Figures() {}

    static synchronized void record(String test, String format, Object... args) {
        String line = "- " + Instant.now() + " **" + test + "** " + String.format(format, args)
                + (Settings.longRun() ? " (long run)" : "");
        System.out.println(line);
        try {
            Files.writeString(
                    Settings.workDir().resolve("figures.md"),
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
