package io.stupiddb.segments.tool;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.RetentionClass;
import io.stupiddb.segments.store.RetentionClasses;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.SegmentDamage;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code segment-tool salvage FILE}: the service's salvage, offline, on the data directory found above FILE. */
class SalvageCommandTest {
    private Path data;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException {
        data = Files.createTempDirectory("salvage-tool").resolve("data");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(data.getParent());
    }

    private SegmentStore open() throws IOException {
        return SegmentStore.open(StoreConfig.builder(data).minFreeDisk(0).build(), InstantSource.system());
    }

    private int run(String... args) {
        return new SegmentTool(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    @Test
    void aQuarantinedCopyIsSalvagedBackIntoTheDataDirectory() throws IOException {
        List<UUID> ids;
        String segment;
        try (SegmentStore store = open()) {
            List<DocumentToWrite> batch = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                batch.add(DocumentToWrite.atIngestTime(TestDocuments.msgpack(Map.of("n", i))));
            }
            ids = store.write(batch).stream().map(WrittenDocument::id).toList();
            segment = store.rotate(RotationReason.MANUAL).orElseThrow().id();
            assertTrue(store.compaction().awaitIdle(java.time.Duration.ofSeconds(60)));
        }
        // The index entry of the 6th document damaged: the next start quarantines the whole segment.
        Path file = data.resolve(segment + ".seg");
        SegmentDamage.flip(file, ids.get(5), 1, 3);
        byte[] content = Files.readAllBytes(file);
        try (SegmentStore store = open()) {
            // A scan meets the damaged index on first use: the segment goes to quarantine/.
            assertThrows(CorruptSegmentException.class, () -> {
                try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                    cursor.advance();
                }
            });
        }
        Path copy;
        try (var copies = Files.list(data.resolve("quarantine"))) {
            copy = copies.findFirst().orElseThrow();
        }

        try (SegmentStore running = open()) {
            assertEquals(SegmentTool.USAGE, run("salvage", copy.toString()), "not while the service runs");
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("/salvage"), err.toString(StandardCharsets.UTF_8));
        }
        assertEquals(SegmentTool.OK, run("salvage", copy.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("12 documents kept, 0 lost"), out.toString());

        try (SegmentStore store = open()) {
            List<UUID> scanned = new ArrayList<>();
            try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                while (cursor.advance()) {
                    scanned.add(cursor.id());
                }
            }
            assertEquals(ids, scanned);
            assertTrue(store.journal().eventsAfter(0, 100).stream()
                    .anyMatch(e -> e.segment().equals(segment)
                            && e.detail() != null
                            && e.detail().contains("salvaged")));
        }
        assertEquals(SegmentTool.USAGE, run("salvage"));
        assertEquals(
                SegmentTool.USAGE, run("salvage", data.resolve("nothing.seg").toString()));
        assertArrayEquals(content, Files.readAllBytes(copy), "the quarantined copy stays as found");
    }

    @Test
    void aRetentionClassSegmentIsSalvagedIntoItsClassAndTheToolSeesTheClassDirectories() throws IOException {
        StoreConfig config = StoreConfig.builder(data)
                .minFreeDisk(0)
                .retentionClasses(new RetentionClasses(
                        "retention",
                        List.of(new RetentionClass("audit", java.time.Duration.ofDays(400), OptionalLong.empty()))))
                .build();
        List<UUID> ids;
        String segment;
        try (ClassedStore store = ClassedStore.open(config, InstantSource.system())) {
            List<DocumentToWrite> batch = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                batch.add(DocumentToWrite.atIngestTime(TestDocuments.msgpack(Map.of("n", i, "retention", "audit"))));
            }
            ids = store.write(batch).stream().map(WrittenDocument::id).toList();
            segment = store.rotate(RotationReason.MANUAL).getFirst().id();
            for (var compaction : store.compactions()) {
                assertTrue(compaction.awaitIdle(java.time.Duration.ofSeconds(60)));
            }
        }
        Path file = data.resolve("classes/audit/" + segment + ".seg");
        assertTrue(Files.isRegularFile(file), "in its class's directory");
        assertEquals(SegmentTool.OK, run("verify", data.toString()));
        assertTrue(
                out.toString(StandardCharsets.UTF_8).contains("1 segment file(s) checked: all good"), out.toString());

        SegmentDamage.flip(file, ids.get(5), 1, 3);
        assertEquals(SegmentTool.CORRUPT, run("verify", data.toString()), "verify DIR checks the classes too");
        out.reset();
        assertEquals(SegmentTool.OK, run("salvage", file.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("documents kept"), out.toString());
        try (ClassedStore store = ClassedStore.open(config, InstantSource.system())) {
            assertEquals("audit", store.retentionClassOf(segment).orElseThrow(), "salvaged back into its class");
            List<UUID> scanned = new ArrayList<>();
            try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
                while (cursor.advance()) {
                    scanned.add(cursor.id());
                }
            }
            assertTrue(ids.containsAll(scanned) && scanned.size() >= 11, "the intact documents: " + scanned.size());
        }
    }
}
