package io.stupiddb.segments.nativeimage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native build compiles zstd-jni's JNI binding (its FFM classes are removed, see
 * application.properties), while this JVM runs the FFM one. This runs the store's use of zstd on
 * the JNI binding in a child JVM with multi-release jars turned off, so a JNI-only problem in how
 * the store uses zstd shows up here and not only in a native executable.
 */
class ZstdJniBindingTest {

    @Test
    void theStoreWorksOnZstdJnisJniBinding(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(
                        java,
                        "-Djdk.util.jar.enableMultiRelease=false",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dmsgpack.universal-buffer=false",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ZstdJniProbe.class.getName(),
                        dir.resolve("data").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("JNI binding OK"), output);
    }
}
