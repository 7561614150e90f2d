package io.stupiddb.segments.cold;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.DocumentToWrite;
import io.stupiddb.segments.store.RetentionClass;
import io.stupiddb.segments.store.RetentionClasses;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.WrittenDocument;
import io.stupiddb.segments.testing.MutableClock;
import io.stupiddb.segments.testing.S3ProxyServer;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention classes with the cold tier (SPEC §10, §12) against a real S3 server: each class's
 * archived segments are objects under its own prefix, read back through the one store, evicted
 * under the class's retention, and served again after the volume is lost.
 */
class ColdTierClassesTest {
    private static final String BUCKET = "classes";
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static Path s3Dir;
    private static S3ProxyServer s3;

    private Path dir;
    private MutableClock clock;
    private ColdSettings settings;
    private ClassedStore store;

    @BeforeAll
    static void startS3() throws IOException {
        s3Dir = Files.createTempDirectory("s3proxy-classes");
        s3 = S3ProxyServer.start(s3Dir.resolve("data"), BUCKET);
    }

    @AfterAll
    static void stopS3() throws IOException {
        s3.close();
        TestFiles.deleteRecursively(s3Dir);
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("cold-classes");
        clock = new MutableClock(T0);
        settings = s3.settings(BUCKET, 64L << 20).withPrefix(dir.getFileName() + "/");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (store != null) {
            store.close();
        }
        TestFiles.deleteRecursively(dir);
    }

    private void open() throws IOException {
        store = ClassedStore.open(
                StoreConfig.builder(dir.resolve("data"))
                        .minFreeDisk(0)
                        .nodeId(3)
                        .archiveAfter(Duration.ofHours(2))
                        .retention(Duration.ofDays(30))
                        .coldTier(settings)
                        .retentionClasses(new RetentionClasses(
                                "retention",
                                List.of(new RetentionClass("audit", Duration.ofDays(400), OptionalLong.empty()))))
                        .build(),
                clock);
    }

    private List<WrittenDocument> write(int n, String retentionClass) throws IOException {
        List<DocumentToWrite> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(DocumentToWrite.at(
                    TestDocuments.msgpack(Map.of("i", i, "retention", retentionClass)), clock.millis()));
        }
        return store.write(batch);
    }

    private List<UUID> scanIds() {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    @Test
    void eachClassArchivesUnderItsOwnPrefixAndIsServedAgainAfterTheVolumeIsLost() throws IOException {
        open();
        List<WrittenDocument> plain = write(5, "default");
        List<WrittenDocument> audit = write(7, "audit");
        store.rotate(RotationReason.MANUAL);
        clock.advance(Duration.ofHours(3));
        List<String> archived = store.archiveDue();
        assertEquals(2, archived.size(), archived.toString());
        String auditSegment = audit.getFirst().segmentId();
        String plainSegment = plain.getFirst().segmentId();
        assertTrue(
                Files.exists(s3.objectFile(BUCKET, settings.key(3, plainSegment))), "default class: <prefix>node-3/");
        String auditKey = settings.prefix() + "classes/audit/"
                + settings.key(3, auditSegment).substring(settings.prefix().length());
        assertTrue(Files.exists(s3.objectFile(BUCKET, auditKey)), "audit: <prefix>classes/audit/node-3/ " + auditKey);
        assertEquals(
                "s3://" + BUCKET + "/" + auditKey, store.location(auditSegment).orElseThrow());
        assertEquals("audit", store.retentionClassOf(auditSegment).orElseThrow());

        store.close();
        store = null;
        TestFiles.deleteRecursively(dir.resolve("data")); // the volume is gone
        open();
        assertEquals(
                List.of(SegmentState.ARCHIVED, SegmentState.ARCHIVED),
                store.segments().stream().map(SegmentInfo::state).toList());
        assertEquals("audit", store.retentionClassOf(auditSegment).orElseThrow(), "rebuilt into its class");
        assertTrue(store.get(audit.getLast().id()).isPresent());
        assertTrue(store.get(plain.getLast().id()).isPresent());
        List<UUID> all = new ArrayList<>();
        plain.forEach(w -> all.add(w.id()));
        audit.forEach(w -> all.add(w.id()));
        assertEquals(all, scanIds(), "both classes, in id order");
        WrittenDocument next = write(1, "audit").getFirst();
        assertTrue(next.segmentId().compareTo(auditSegment) > 0, "segment numbers are not reused");
        // what lets the API answer a get on its I/O thread: only ids in archived objects may wait
        assertTrue(store.getMayFetchRemotely(audit.getLast().id()), "only in the object store");
        assertTrue(store.getMayFetchRemotely(plain.getFirst().id()), "only in the object store");
        assertFalse(store.getMayFetchRemotely(next.id()), "in the local active segment");

        // The default class's retention (30d) takes its object; audit's (400d) keeps its own.
        clock.advance(Duration.ofDays(31));
        List<String> evicted = store.enforceRetention();
        assertEquals(List.of(plainSegment), evicted);
        assertTrue(Files.notExists(s3.objectFile(BUCKET, settings.key(3, plainSegment))));
        assertTrue(Files.exists(s3.objectFile(BUCKET, auditKey)));
        assertTrue(store.get(audit.getFirst().id()).isPresent());
    }
}
