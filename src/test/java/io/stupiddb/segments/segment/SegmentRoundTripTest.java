package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.testing.DictionaryFixture;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
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
 * Whatever is appended comes back byte for byte: from the active segment, after sealing, after
 * reopening, with and without compression and dictionaries, through get and through scans.
 */
class SegmentRoundTripTest {

    @Provide
    Arbitrary<List<Map<String, Object>>> documents() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        Arbitrary<Map<String, Object>> nested = Arbitraries.maps(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), scalar)
                .ofMaxSize(4);
        Arbitrary<Object> value = Arbitraries.oneOf(
                scalar, nested.map(m -> (Object) m), scalar.list().ofMaxSize(5).map(l -> (Object) l));
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), value)
                .ofMinSize(0)
                .ofMaxSize(12)
                .map(m -> (Map<String, Object>) new LinkedHashMap<>(m))
                .list()
                .ofMinSize(1)
                .ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Integer>> batchSizes() {
        return Arbitraries.integers().between(1, 20).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 60)
    void everyDocumentComesBackIdentical(
            @ForAll("documents") List<Map<String, Object>> docs,
            @ForAll("batchSizes") List<Integer> batchSizes,
            @ForAll Codec codec,
            @ForAll boolean withDictionary,
            @ForAll @IntRange(min = 1, max = 9) int level)
            throws Exception {
        Path dir = Files.createTempDirectory("roundtrip");
        try {
            TestDocuments generator = new TestDocuments(docs.size());
            byte[] dictionary = codec == Codec.ZSTD && withDictionary ? DictionaryFixture.dictionary() : null;
            SegmentHeader header = SegmentHeader.create("rt-1", 1_000L, codec, level, 3, dictionary);
            List<NewDocument> written = new ArrayList<>();
            ActiveSegment active = ActiveSegment.create(dir, header, DurabilityMode.NEVER, InstantSource.system());
            int next = 0;
            int batch = 0;
            while (next < docs.size()) {
                int size = Math.min(batchSizes.get(batch++ % batchSizes.size()), docs.size() - next);
                List<NewDocument> chunk = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    Map<String, Object> doc = docs.get(next + i);
                    chunk.add(new NewDocument(
                            generator.nextId(), (long) (next + i) * 1000 - 5000, TestDocuments.msgpack(doc)));
                }
                active.append(chunk);
                written.addAll(chunk);
                next += size;
            }
            assertReadsBack(written, active::get, active::scan);
            SealedSegment sealed = active.seal();
            assertTrue(active.awaitClosed(java.time.Duration.ofSeconds(5)));
            assertReadsBack(written, id -> Optional.ofNullable(sealed.get(id).orElse(null)), sealed::scan);
            sealed.verify();
            sealed.close();
            SealedSegment reopened = SealedSegment.open(SegmentFiles.sealed(dir, "rt-1"), SegmentState.SEALED);
            assertReadsBack(written, reopened::get, reopened::scan);
            assertEquals(written.size(), reopened.footer().documents());
            assertEquals(header, reopened.header());
            reopened.close();
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    interface Getter {
        Optional<StoredDocument> get(UUID id) throws IOException;
    }

    interface Scanner {
        DocumentCursor scan(ScanSpec spec);
    }

    static void assertReadsBack(List<NewDocument> written, Getter getter, Scanner scanner) throws IOException {
        for (NewDocument doc : written) {
            StoredDocument stored = getter.get(doc.id()).orElseThrow(() -> new AssertionError("missing " + doc.id()));
            assertArrayEquals(doc.source(), stored.source());
            assertEquals(doc.timestamp(), stored.timestamp());
        }
        UUID last = written.getLast().id();
        assertFalse(getter.get(new UUID(0, 0)).isPresent());
        assertFalse(getter.get(new UUID(-1, -1)).isPresent());
        assertFalse(getter.get(new UUID(last.getMostSignificantBits(), last.getLeastSignificantBits() + 1))
                .isPresent());
        List<StoredDocument> scanned = new ArrayList<>();
        try (DocumentCursor cursor = scanner.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                scanned.add(cursor.document());
            }
        }
        assertEquals(written.size(), scanned.size());
        for (int i = 0; i < written.size(); i++) {
            assertEquals(written.get(i).id(), scanned.get(i).id());
            assertArrayEquals(written.get(i).source(), scanned.get(i).source());
        }
        // Time range [from, to) and resuming after an id.
        long from = 0;
        long to = 20_000;
        UUID after = written.get(written.size() / 2).id();
        List<UUID> expected = written.stream()
                .filter(d -> d.timestamp() >= from && d.timestamp() < to)
                .filter(d -> DocumentIds.compare(d.id(), after) > 0)
                .map(NewDocument::id)
                .toList();
        List<UUID> actual = new ArrayList<>();
        try (DocumentCursor cursor = scanner.scan(ScanSpec.range(from, to).after(after))) {
            while (cursor.advance()) {
                assertTrue(cursor.timestamp() >= from && cursor.timestamp() < to);
                actual.add(cursor.id());
            }
        }
        assertEquals(expected, actual);
    }
}
