package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM running writes, rotations, archives and evictions in a loop is SIGKILLed at a
 * random moment; the store reopens consistent: journal without gaps, no evicted segment back,
 * every remaining segment verifies, every acknowledged document of a non-evicted segment is
 * there. Cycles: {@code -Dlifecycle.crash.cycles} (default 3).
 */
class LifecycleCrashTest {

    @Test
    void killedDuringEvictionAndArchiveReopensConsistent() throws Exception {
        int cycles = Integer.getInteger("lifecycle.crash.cycles", 3);
        SplittableRandom random = new SplittableRandom(7);
        Path dir = Files.createTempDirectory("lifecycle-crash");
        try {
            for (int cycle = 0; cycle < cycles; cycle++) {
                Map<UUID, String> acknowledged = new ConcurrentHashMap<>();
                String java =
                        Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String classpath =
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
                Process child = new ProcessBuilder(List.of(
                                java,
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                classpath,
                                LifecycleChurner.class.getName(),
                                dir.toString()))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                Thread reader = Thread.ofPlatform().start(() -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            String[] parts = line.split(" ");
                            // A line cut by the kill is not an acknowledgement.
                            if (parts.length == 3
                                    && parts[0].equals("ACK")
                                    && parts[1].length() == 36
                                    && parts[2].length() == 18) {
                                acknowledged.put(UUID.fromString(parts[1]), parts[2]);
                            }
                        }
                    } catch (IOException ignored) {
                        // pipe broken by the kill
                    }
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (acknowledged.size() < 200 && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(20, 600));
                child.destroyForcibly();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                reader.join(5000);
                assertTrue(acknowledged.size() >= 200, "the child did work before the kill");

                try (SegmentStore store = SegmentStore.open(LifecycleChurner.config(dir), InstantSource.system())) {
                    List<LifecycleEvent> events = store.journal().eventsAfter(0, 1_000_000);
                    Set<String> evicted = new HashSet<>();
                    for (int i = 0; i < events.size(); i++) {
                        if (i > 0) {
                            assertEquals(
                                    events.get(i - 1).seq() + 1, events.get(i).seq(), "journal without gaps");
                        }
                        if (events.get(i).type() == LifecycleEventType.SEGMENT_EVICTED) {
                            evicted.add(events.get(i).segment());
                        }
                    }
                    Set<String> present = new HashSet<>();
                    for (SegmentInfo info : store.segments()) {
                        assertFalse(evicted.contains(info.id()), "evicted segment " + info.id() + " came back");
                        present.add(info.id());
                    }
                    assertEquals(0, store.counters().corruptSegments(), "nothing quarantined");
                    for (Map.Entry<UUID, String> ack : acknowledged.entrySet()) {
                        if (store.get(ack.getKey()).isEmpty()) {
                            // Only documents of segments the journal says were evicted may be missing.
                            assertTrue(
                                    evicted.contains(ack.getValue()),
                                    "lost acknowledged " + ack.getKey() + " of segment " + ack.getValue());
                        }
                    }
                    // Every remaining document reads back (each read checks its record's checksum).
                    try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                        while (cursor.advance()) {
                            TestDocuments.decode(cursor.source());
                        }
                    }
                    try (var files = Files.list(dir.resolve("data"))) {
                        List<Path> left = files.filter(p -> p.toString().endsWith(".deleted"))
                                .toList();
                        assertTrue(left.isEmpty(), "left behind: " + left);
                    }
                    // At most 6 after the child's eviction loop, one more sealed by recovery, one more if the
                    // kill came between a rotation and the evictions that follow it.
                    assertTrue(present.size() <= 8, "segments: " + present.size());
                }
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }
}
