package io.stupiddb.segments.store;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.testing.ChildJvm;
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
 * A child JVM ({@link DeleteChurner}) deleting by filter, rewriting and archiving in a loop is
 * SIGKILLed at a random moment (most of its time goes to rewrites, so most kills land in one);
 * reopened, the store has lost no acknowledged delete (those documents are neither gettable nor
 * scanned, and their ids are in the journal), resurrected nothing, kept every other acknowledged
 * document (each in its retention class: the child spreads every batch over three), and its
 * rewrite directories are empty. Then the deletes are reclaimed and the store
 * reopened once more. Cycles: {@code -Ddelete.crash.cycles} (default 3).
 */
class DeleteCrashTest {

    /** A written document: its round and place in it. */
    private record Ack(int round, int i) {}

    @Test
    void killedDuringDeletesAndRewritesLosesNoDeleteAndResurrectsNothing() throws Exception {
        int cycles = Integer.getInteger("delete.crash.cycles", 3);
        SplittableRandom random = new SplittableRandom(17);
        Path dir = Files.createTempDirectory("delete-crash");
        try {
            for (int cycle = 0; cycle < cycles; cycle++) {
                Map<UUID, Ack> acknowledged = new ConcurrentHashMap<>();
                Set<Integer> deletedRounds = ConcurrentHashMap.newKeySet();
                Process child = startChild(dir, cycle * 1_000_000);
                Thread reader = Thread.ofPlatform().start(() -> read(child, acknowledged, deletedRounds));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (deletedRounds.size() < 3 && System.nanoTime() < deadline && child.isAlive()) {
                    Thread.sleep(10);
                }
                Thread.sleep(random.nextInt(0, 400));
                child.destroyForcibly();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                reader.join(5000);
                assertTrue(deletedRounds.size() >= 3, "the child deleted before the kill");
                check(dir, acknowledged, deletedRounds);
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    private static Process startChild(Path dir, int firstRound) throws IOException {
        return ChildJvm.start(DeleteChurner.class, dir.toString(), Integer.toString(firstRound));
    }

    private static void read(Process child, Map<UUID, Ack> acknowledged, Set<Integer> deletedRounds) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                // A line cut by the kill is not an acknowledgement.
                if (parts.length == 4 && parts[0].equals("ACK") && parts[1].length() == 36) {
                    acknowledged.put(
                            UUID.fromString(parts[1]), new Ack(Integer.parseInt(parts[2]), Integer.parseInt(parts[3])));
                } else if (parts.length == 2 && parts[0].equals("DELETED") && line.endsWith(parts[1])) {
                    deletedRounds.add(Integer.parseInt(parts[1]));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // pipe broken by the kill, or a line cut by it
        }
    }

    private static void check(Path dir, Map<UUID, Ack> acknowledged, Set<Integer> deletedRounds) throws IOException {
        Set<UUID> mustBeGone = new HashSet<>();
        Set<UUID> mustBeThere = new HashSet<>();
        acknowledged.forEach((id, ack) -> {
            if (!DeleteChurner.deleted(ack.i())) {
                mustBeThere.add(id);
            } else if (deletedRounds.contains(ack.round())) {
                mustBeGone.add(id);
            } // else: its delete may or may not have happened before the kill
        });
        assertFalse(mustBeGone.isEmpty());
        for (int open = 0; open < 2; open++) {
            try (ClassedStore store = ClassedStore.open(DeleteChurner.config(dir), InstantSource.system())) {
                for (Path data : List.of(
                        dir.resolve("data"), dir.resolve("data/classes/debug"), dir.resolve("data/classes/audit"))) {
                    try (var leftovers = Files.list(data.resolve("rewrite"))) {
                        assertTrue(leftovers.findAny().isEmpty(), "rewrite leftovers in " + data);
                    }
                }
                Set<UUID> journaled = new HashSet<>();
                List<LifecycleEvent> events = store.journal().eventsAfter(0, 1_000_000);
                for (LifecycleEvent event : events) {
                    if (event.type() == LifecycleEventType.DOCUMENTS_DELETED) {
                        journaled.addAll(event.ids());
                    }
                }
                Set<UUID> scanned = new HashSet<>();
                try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                    while (cursor.advance()) {
                        scanned.add(cursor.id());
                    }
                }
                for (UUID id : mustBeGone) {
                    assertTrue(store.get(id).isEmpty(), "acknowledged delete lost: " + id);
                    assertFalse(scanned.contains(id), "deleted document scanned: " + id);
                    assertTrue(journaled.contains(id), "acknowledged delete not journaled: " + id);
                }
                for (UUID id : mustBeThere) {
                    assertTrue(scanned.contains(id) && store.get(id).isPresent(), "lost document " + id);
                    String segment = store.get(id).orElseThrow().segmentId();
                    assertEquals(
                            DeleteChurner.retentionClass(acknowledged.get(id).i()),
                            store.retentionClassOf(segment).orElseThrow(),
                            "in its class's segments: " + id);
                }
                for (UUID id : scanned) {
                    assertFalse(journaled.contains(id), "journaled as deleted but still served: " + id);
                }
                assertEquals(0, store.counters().corruptSegments(), "nothing quarantined");
                store.reclaimDeleted(); // the second open finds everything rewritten
            }
        }
    }
}
