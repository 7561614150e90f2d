package io.stupiddb.segments.it.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Knobs of the reliability suite. The short (CI) values run in {@code ./mvnw verify}; the long run
 * is {@code -Dreliability.long=true}, which switches every default to its long value. Each value
 * can still be set on its own ({@code -Dreliability.cycles=500}). docs/RELIABILITY.md lists them.
 */
final class Settings {
    private Settings() {}

    /** {@code -Dreliability.long=true}: the long run. */
    static boolean longRun() {
        return Boolean.getBoolean("reliability.long");
    }

    static int integer(String name, int shortValue, int longValue) {
        return Integer.getInteger(name, longRun() ? longValue : shortValue);
    }

    /** The seed of a test's randomness: {@code -Dreliability.seed}, else fresh (printed, so a failure can be rerun). */
    static long seed(String test) {
        Long fixed = Long.getLong("reliability.seed");
        long seed = fixed != null ? fixed : System.nanoTime() ^ test.hashCode();
        System.out.printf("[%s] seed %d (rerun with -Dreliability.seed=%d)%n", test, seed, seed);
        return seed;
    }

    static SplittableRandom random(String test) {
        return new SplittableRandom(seed(test));
    }

    /** Everything the suite leaves behind: target/reliability (logs, data directories of failed runs, figures). */
    static Path workDir() throws java.io.IOException {
        Path dir = Path.of("target", "reliability").toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }
}
