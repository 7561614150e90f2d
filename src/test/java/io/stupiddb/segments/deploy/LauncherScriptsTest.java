package io.stupiddb.segments.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * src/main/bin/segment-store and src/main/bin/segment-tool find a JDK 25 when JAVA_HOME (or the default java) is
 * older: run with {@code --print-command}, they print the command they would run.
 */
class LauncherScriptsTest {

    /** A JAVA_HOME whose java reports itself as Java 17, as {@code -XshowSettings:properties} does. */
    private static Path fakeJava17(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo '    java.specification.version = 17' >&2
                echo 'openjdk version "17.0.15" 2025-04-15' >&2
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** The java of a printed command, asked for its version. */
    private static String versionOf(String command) throws Exception {
        String java = command.substring(0, command.indexOf(' ')); // then JVM options (the AOT cache), -jar …
        return run(Map.of(), java, "-XshowSettings:properties", "-version");
    }

    @Test
    void aJavaHomeOlderThan25IsPassedOverForAJdk25(@TempDir Path dir) throws Exception {
        Path old = fakeJava17(dir);
        String command = run(Map.of("JAVA_HOME", old.toString()), "src/main/bin/segment-store", "--print-command");
        assertTrue(!command.startsWith(old.toString()), command);
        assertTrue(command.endsWith("/target/quarkus-app/quarkus-run.jar"), command);
        assertTrue(versionOf(command).contains("java.specification.version = 25"), command);
    }

    @Test
    void segmentToolPassesItsArgumentsToTheJarsTool(@TempDir Path dir) throws Exception {
        Path old = fakeJava17(dir);
        String command = run(
                Map.of("JAVA_HOME", old.toString()), "src/main/bin/segment-tool", "--print-command", "verify", "data/");
        assertTrue(command.endsWith("quarkus-run.jar segment-tool verify data/"), command);
        assertTrue(versionOf(command).contains("java.specification.version = 25"), command);
    }

    @Test
    void aJavaHome25IsUsedAsItIs() throws Exception {
        Path current = Path.of(System.getProperty("java.home"));
        String command = run(Map.of("JAVA_HOME", current.toString()), "src/main/bin/segment-store", "--print-command");
        assertTrue(command.startsWith(current.resolve("bin/java") + " "), command);
        assertTrue(command.contains(" -jar "), command);
    }
}
