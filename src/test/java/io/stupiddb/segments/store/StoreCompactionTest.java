package io.stupiddb.segments.store;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.query.Filter;
import io.stupiddb.segments.query.plan.BlockPlanner;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.StoredDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sealing in the background: the writer seals uncompressed v1 files and the compactor turns them
 * into v2 under the same id, without a reader noticing; and every state a crash can leave during a
 * compaction (a torn temp file, a complete one not yet renamed, the renamed file) reopens to a
 * store that serves every acknowledged document and finishes the work.
 */
class StoreCompactionTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private Path dir;
    private Path data;
    private MutableClock clock;
    private SegmentStore store;
    private final Map<UUID, byte[]> written = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("compaction");
        data = dir.resolve("data");
        clock = new MutableClock(T0);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private SegmentStore open() throws IOException {
        store = SegmentStore.open(
                StoreConfig.builder(data).minFreeDisk(0).nodeId(3).build(), clock);
        return store;
    }

    private void write(int count) throws IOException {
        TestDocuments generator = new TestDocuments(written.size() + 1);
        List<DocumentToWrite> batch = new ArrayList<>();
        List<byte[]> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] source = TestDocuments.msgpack(generator.logEvent(clock.millis()));
            sources.add(source);
            batch.add(DocumentToWrite.atIngestTime(source));
        }
        var ids = store.write(batch);
        for (int i = 0; i < count; i++) {
            written.put(ids.get(i).id(), sources.get(i));
        }
    }

    private void awaitCompaction() throws InterruptedException {
        assertTrue(store.compaction().awaitIdle(Duration.ofSeconds(60)), "compaction finished");
    }

    /** The kernel's nice value of each live thread named segment-compactor (comm keeps 15 characters). */
    private static List<Integer> compactorNices() throws IOException {
        List<Integer> nices = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals("segment-compact")) {
                    nices.add(niceOf(task.resolve("stat")));
                }
            }
        }
        return nices.stream().distinct().toList();
    }

    /** Field 19 of a /proc stat file: after the parenthesised name, the 17th field. */
    private static int niceOf(Path stat) throws IOException {
        String text = Files.readString(stat);
        return Integer.parseInt(text.substring(text.lastIndexOf(')') + 2).split(" ")[16]);
    }

    private static int version(Path file) throws IOException {
        byte[] head = new byte[11];
        try (var in = Files.newInputStream(file)) {
            assertEquals(11, in.readNBytes(head, 0, 11));
        }
        return ((head[8] & 0xff) << 8) | (head[9] & 0xff);
    }

    private Path sealedFile(String id) {
        return data.resolve(id + ".seg");
    }

    private void assertEveryDocumentServed() throws IOException {
        for (Map.Entry<UUID, byte[]> e : written.entrySet()) {
            Optional<StoredDocument> read = store.get(e.getKey());
            assertTrue(read.isPresent(), "document " + e.getKey());
            assertArrayEquals(e.getValue(), read.get().source());
        }
        List<UUID> scanned = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                scanned.add(cursor.id());
            }
        }
        assertEquals(new ArrayList<>(written.keySet()), scanned);
    }

    @Test
    void theWriterSealsUncompressedAndTheCompactorRewritesInV2() throws Exception {
        open();
        write(2_000);
        SegmentInfo sealed = store.rotate(RotationReason.MANUAL).orElseThrow();
        awaitCompaction();
        Path file = sealedFile(sealed.id());
        assertEquals(FormatVersion.V2, version(file));
        SegmentInfo after = store.segment(sealed.id()).orElseThrow();
        assertEquals(Codec.ZSTD, after.codec());
        assertEquals(sealed.documents(), after.documents());
        assertTrue(after.sizeBytes() < sealed.sizeBytes() / 2, after.sizeBytes() + " < half of " + sealed.sizeBytes());
        assertEquals(1, store.compaction().compactedSegments());
        if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            // the compactor's thread gives way to request threads (BackgroundThreads): nice +10
            assertEquals(List.of(Math.min(19, niceOf(Path.of("/proc/thread-self/stat")) + 10)), compactorNices());
        }
        assertEquals(0, store.compaction().reservedBytes());
        assertEveryDocumentServed();
        // The planner is used on the compacted file and answers as brute force.
        String json = "{\"level\":\"error\",\"http.status\":{\"$gte\":500}}";
        Filter filter = Filter.parse(json);
        List<UUID> planned = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(new ScanSpec(
                Long.MIN_VALUE, Long.MAX_VALUE, null, filter::matches, Optional.of(BlockPlanner.compile(json))))) {
            while (cursor.advance()) {
                planned.add(cursor.id());
            }
        }
        List<UUID> expected = written.entrySet().stream()
                .filter(e -> filter.matches(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
        assertFalse(expected.isEmpty());
        assertEquals(expected, planned);
    }

    @Test
    void aReaderInsideTheOldFileFinishesWhileTheNewOneIsPublished() throws Exception {
        open();
        write(500);
        SegmentInfo sealed = store.rotate(RotationReason.MANUAL).orElseThrow();
        List<UUID> scanned = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            assertTrue(cursor.advance());
            scanned.add(cursor.id());
            awaitCompaction(); // the swap happens while this cursor holds the v1 mapping
            assertEquals(FormatVersion.V2, version(sealedFile(sealed.id())));
            while (cursor.advance()) {
                scanned.add(cursor.id());
            }
        }
        assertEquals(new ArrayList<>(written.keySet()), scanned);
    }

    /** Crash states: each is what a SIGKILL at that step of a compaction leaves on disk. */
    @Test
    void aTornTempFileIsDiscardedAndTheSegmentCompactedAgain() throws Exception {
        String id = sealedButNotCompacted();
        Files.write(data.resolve("tmp").resolve(id + ".seg"), new byte[] {'S', 'D', 'B', 1, 2, 3});
        open();
        awaitCompaction();
        assertFalse(Files.exists(data.resolve("tmp").resolve(id + ".seg")));
        assertEquals(FormatVersion.V2, version(sealedFile(id)));
        assertEveryDocumentServed();
    }

    @Test
    void aCompleteTempFileNotYetRenamedIsDiscardedAndTheSegmentCompactedAgain() throws Exception {
        open();
        write(800);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        awaitCompaction();
        Path v2 = dir.resolve("v2-copy");
        Files.copy(sealedFile(id), v2);
        store.close();
        store = null;
        // Put the v1 form back as the sealed file and the finished v2 file in tmp/: killed before the rename.
        String v1Id = sealedButNotCompacted();
        Files.copy(v2, data.resolve("tmp").resolve(v1Id + ".seg"), StandardCopyOption.REPLACE_EXISTING);
        open();
        awaitCompaction();
        assertEquals(FormatVersion.V2, version(sealedFile(v1Id)));
        assertEveryDocumentServed();
    }

    @Test
    void aRenamedFileIsServedAsItIs() throws Exception {
        open();
        write(300);
        String id = store.rotate(RotationReason.MANUAL).orElseThrow().id();
        awaitCompaction();
        store.close(); // killed after the rename: the directory holds the v2 file
        store = null;
        open();
        awaitCompaction();
        assertEquals(0, store.compaction().compactedSegments());
        assertEquals(FormatVersion.V2, version(sealedFile(id)));
        assertEveryDocumentServed();
    }

    @Test
    void aShutdownBeforeCompactionLeavesV1WhichTheNextStartCompacts() throws Exception {
        String id = sealedButNotCompacted();
        assertEquals(FormatVersion.V1, version(sealedFile(id)));
        open();
        awaitCompaction();
        assertEquals(FormatVersion.V2, version(sealedFile(id)));
        assertEquals(1, store.compaction().compactedSegments());
        assertEveryDocumentServed();
    }

    @Test
    void aRewriteThatWouldFillTheDiskWaitsAndTheSegmentIsServedUncompressed() throws Exception {
        String id = sealedButNotCompacted();
        store = SegmentStore.open(
                StoreConfig.builder(data)
                        .minFreeDisk(Long.MAX_VALUE / 4)
                        .nodeId(3)
                        .build(),
                clock);
        awaitCompaction();
        assertEquals(0, store.compaction().compactedSegments());
        assertEquals(0, store.compaction().failedCompactions());
        assertEquals(FormatVersion.V1, version(sealedFile(id)));
        assertEveryDocumentServed();
        store.close();
        store = null;
        open();
        awaitCompaction();
        assertEquals(FormatVersion.V2, version(sealedFile(id)));
    }

    @Test
    void damageTheCompactionMeetsIsReportedAsAReadWouldAndTheSegmentStaysInService() throws Exception {
        String id = sealedButNotCompacted();
        Path file = sealedFile(id);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x20; // inside the records
        Files.write(file, bytes);
        open();
        awaitCompaction();
        // A damaged record is contained: its document is named lost, the segment stays (uncompressed).
        assertTrue(store.damagedRecords().count(id) > 0);
        assertTrue(store.segment(id).isPresent());
        assertEquals(FormatVersion.V1, version(file));
        assertEquals(0, store.compaction().compactedSegments());
        assertTrue(store.journal().eventsAfter(0, 100).stream()
                .anyMatch(e -> e.type() == io.stupiddb.segments.journal.LifecycleEventType.DOCUMENTS_DAMAGED
                        && e.segment().equals(id)));
        try (var files = Files.list(data.resolve("tmp"))) {
            assertEquals(0, files.count());
        }
        store.enforceRetention(); // offers compactions again: a damaged segment is not retried
        awaitCompaction();
        assertEquals(0, store.compaction().compactedSegments());
    }

    /**
     * Writes documents, then closes the store without letting the compactor run: closing stops the
     * compactor first, and the shutdown seal is never compacted. Returns the sealed segment's id.
     */
    private String sealedButNotCompacted() throws IOException {
        open();
        write(600);
        store.close();
        store = null;
        try (var files = Files.list(data)) {
            List<Path> sealed = files.filter(f -> f.toString().endsWith(".seg"))
                    .filter(f -> {
                        try {
                            return version(f) == FormatVersion.V1;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertEquals(1, sealed.size(), sealed.toString());
            String name = sealed.get(0).getFileName().toString();
            return name.substring(0, name.length() - ".seg".length());
        }
    }
}
