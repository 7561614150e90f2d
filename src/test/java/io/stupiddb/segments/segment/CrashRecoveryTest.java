package io.stupiddb.segments.segment;

import io.stupiddb.segments.testing.ChildJvm;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM writing with fsync {@code always} is SIGKILLed at a random moment; after recovery
 * every document it acknowledged (over its stdout pipe) is there with its content. Cycles:
 * {@code -Dcrash.cycles} (default 3; the reliability suite runs more).
 */
class CrashRecoveryTest {

    @Test
    void sigkillLosesNoAcknowledgedDocument() throws Exception {
        int cycles = Integer.getInteger("crash.cycles", 3);
        SplittableRandom random = new SplittableRandom(42);
        for (int cycle = 0; cycle < cycles; cycle++) {
            Path dir = Files.createTempDirectory("crash");
            try {
                Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
                Process child = startWriter(dir);
                Thread reader = Thread.ofPlatform().start(() -> readAcks(child, acknowledged));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (acknowledged.size() < 50 && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(50, 400));
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                reader.join(5000);
                assertTrue(acknowledged.size() >= 50, "the writer acknowledged documents before the kill");

                ActiveSegmentRecovery.Recovered recovered = ActiveSegmentRecovery.recover(
                        SegmentFiles.active(dir, "crash"), DurabilityMode.NEVER, InstantSource.system());
                assertTrue(
                        recovered.records() >= acknowledged.size(),
                        "kept " + recovered.records() + " of " + acknowledged.size() + " acknowledged");
                SealedSegment sealed = recovered.segment().seal();
                for (UUID id : acknowledged) {
                    StoredDocument doc =
                            sealed.get(id).orElseThrow(() -> new AssertionError("lost acknowledged " + id));
                    Map<String, Object> content = TestDocuments.decode(doc.source());
                    assertEquals(id.toString(), content.get("id"));
                }
                sealed.verify();
                sealed.close();
                assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
            } finally {
                TestFiles.deleteRecursively(dir);
            }
        }
    }

    static Process startWriter(Path dir) throws IOException {
        return ChildJvm.start(CrashingWriter.class, dir.toString(), "4");
    }

    private static void readAcks(Process child, Set<UUID> acknowledged) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                // A line cut by the kill is not an acknowledgement.
                if (line.startsWith("ACK ") && line.length() == 40) {
                    acknowledged.add(UUID.fromString(line.substring(4)));
                }
            }
        } catch (IOException ignored) {
            // the pipe breaks when the child dies
        }
    }
}
