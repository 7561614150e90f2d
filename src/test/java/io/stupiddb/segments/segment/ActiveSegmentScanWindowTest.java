package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active-segment scans read windows of {@link ActiveRecordReader#SCAN_WINDOW} bytes: many windows'
 * worth of records of mixed sizes, records larger than a window, scans that start in the middle
 * (a time range, after an id), and a scan that keeps reading while more records are appended
 * all come back byte for byte, in order, and only the records the scan's view holds.
 */
class ActiveSegmentScanWindowTest {

    @Test
    void recordsAcrossManyWindowsAndLargerThanOneComeBackIdentical() throws Exception {
        Path dir = Files.createTempDirectory("active-window");
        try {
            Random random = new Random(42);
            TestDocuments generator = new TestDocuments(4000);
            SegmentHeader header = SegmentHeader.create("aw-1", 1_000L, Codec.ZSTD, 3, 3, null);
            ActiveSegment active = ActiveSegment.create(dir, header, DurabilityMode.NEVER, InstantSource.system());
            List<NewDocument> written = new ArrayList<>();
            for (int batch = 0; batch < 40; batch++) {
                List<NewDocument> chunk = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    // mostly a few hundred bytes to a few KB (incompressible text, so the records
                    // keep that size), now and then one larger than a whole window
                    int size = random.nextInt(40) == 0
                            ? ActiveRecordReader.SCAN_WINDOW + random.nextInt(ActiveRecordReader.SCAN_WINDOW)
                            : 100 + random.nextInt(4000);
                    chunk.add(document(generator, written.size() + chunk.size(), size, random));
                }
                active.append(chunk);
                written.addAll(chunk);
            }
            assertTrue(written.stream().mapToLong(d -> d.source().length).sum() > 20L * ActiveRecordReader.SCAN_WINDOW);
            SegmentRoundTripTest.assertReadsBack(written, active::get, active::scan);

            // a scan opened before more appends reads its own view, while the file grows under it
            List<NewDocument> more = new ArrayList<>();
            try (DocumentCursor cursor = active.scan(ScanSpec.ALL)) {
                int seen = 0;
                while (cursor.advance()) {
                    NewDocument expected = written.get(seen++);
                    assertEquals(expected.id(), cursor.id());
                    byte[] source = new byte[cursor.source().remaining()];
                    cursor.source().get(source);
                    assertArrayEquals(expected.source(), source);
                    if (seen % 500 == 0) {
                        List<NewDocument> chunk =
                                List.of(document(generator, written.size() + more.size(), 3000, random));
                        active.append(chunk);
                        more.addAll(chunk);
                    }
                }
                assertEquals(written.size(), seen, "the view the scan started with, nothing appended after");
            }
            written.addAll(more);
            SegmentRoundTripTest.assertReadsBack(written, active::get, active::scan);
            active.close();
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }

    /** Document {@code n}: {"n": n, "text": size random printable characters}, timestamp n × 10. */
    static NewDocument document(TestDocuments generator, int n, int size, Random random) {
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            text.append((char) ('!' + random.nextInt(90)));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("n", n);
        doc.put("text", text.toString());
        return new NewDocument(generator.nextId(), (long) n * 10, TestDocuments.msgpack(doc));
    }
}
