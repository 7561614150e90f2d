package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.Mounts;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's frames go to the file through a buffer of {@link ActiveSegment#FRAME_BUFFER_BYTES}, in
 * several writes when they are more: every document still comes back (active, recovered, sealed),
 * a frame larger than the buffer included, and a batch whose second write fails (a full file
 * system) leaves neither bytes nor index entries behind.
 */
class ActiveSegmentBatchWriteTest {
    private final SplittableRandom random = new SplittableRandom(14);
    private final TestDocuments ids = new TestDocuments(14);
    private Path dir;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("batch-write");
    }

    @AfterEach
    void deleteDir() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void batchesOfManyBufferfulsComeBackWhole(Codec codec) throws Exception {
        SegmentHeader header = SegmentHeader.create("big", 1_000L, codec, 3, 0, null);
        ActiveSegment active = ActiveSegment.create(dir, header, DurabilityMode.ALWAYS, InstantSource.system());
        List<NewDocument> written = new ArrayList<>();
        // ~1 MB of frames: four bufferfuls and more; then one document whose frame alone is larger
        // than the buffer, between small ones, in the same batch
        List<NewDocument> first = documents(2_500, 400);
        List<NewDocument> second = new ArrayList<>(documents(300, 400));
        second.add(document(3 * ActiveSegment.FRAME_BUFFER_BYTES / 2));
        second.addAll(documents(300, 400));
        for (List<NewDocument> batch : List.of(first, second)) {
            long before = Files.size(SegmentFiles.active(dir, "big"));
            active.append(batch);
            written.addAll(batch);
            assertTrue(
                    Files.size(SegmentFiles.active(dir, "big")) - before > 2L * ActiveSegment.FRAME_BUFFER_BYTES,
                    "the batch took several bufferfuls");
        }
        SegmentRoundTripTest.assertReadsBack(written, active::get, active::scan);
        active.close();
        assertTrue(active.awaitClosed(Duration.ofSeconds(5)));

        ActiveSegmentRecovery.Recovered recovered = ActiveSegmentRecovery.recover(
                SegmentFiles.active(dir, "big"), DurabilityMode.ALWAYS, InstantSource.system());
        assertEquals(written.size(), recovered.records());
        assertEquals(0, recovered.truncatedBytes());
        SealedSegment sealed = recovered.segment().seal();
        SegmentRoundTripTest.assertReadsBack(
                written, id -> java.util.Optional.ofNullable(sealed.get(id).orElse(null)), sealed::scan);
        sealed.verify();
        sealed.close();
        assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
    }

    @Test
    void anIndexOfSeveralPagesFindsEveryDocumentAndOlderViewsStayWhole() throws Exception {
        SegmentHeader header = SegmentHeader.create("pages", 1_000L, Codec.NONE, 3, 0, null);
        ActiveSegment active = ActiveSegment.create(dir, header, DurabilityMode.NEVER, InstantSource.system());
        List<NewDocument> written = new ArrayList<>();
        DocumentCursor early = null;
        int total = 2 * ActiveIndex.PAGE + 1_000; // three pages, the first grown from its small start
        while (written.size() < total) {
            List<NewDocument> batch = documents(Math.min(1_000, total - written.size()), 8);
            active.append(batch);
            written.addAll(batch);
            if (early == null && written.size() >= 3_000) {
                early = active.scan(ScanSpec.ALL); // a view taken before the index grew
            }
        }
        int seen = 0;
        try (DocumentCursor cursor = early) {
            while (cursor.advance()) {
                assertEquals(written.get(seen).id(), cursor.document().id());
                seen++;
            }
        }
        assertEquals(3_000, seen, "the early view ends where the index ended when it was taken");
        SegmentRoundTripTest.assertReadsBack(written, active::get, active::scan);
        SealedSegment sealed = active.seal();
        assertEquals(total, sealed.footer().documents());
        sealed.verify();
        SegmentRoundTripTest.assertReadsBack(
                written, id -> java.util.Optional.ofNullable(sealed.get(id).orElse(null)), sealed::scan);
        sealed.close();
        assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
    }

    @Test
    void aBatchThatFillsTheDiskMidwayLeavesNothingBehind() throws Exception {
        Assumptions.assumeTrue(Mounts.tmpfsAvailable(), "needs root and mount -t tmpfs (not available here)");
        Path mnt = dir.resolve("mnt");
        try (Mounts.Mount mount = Mounts.tmpfs(mnt, 2048)) {
            SegmentHeader header = SegmentHeader.create("full", 1_000L, Codec.NONE, 3, 0, null);
            ActiveSegment active = ActiveSegment.create(mnt, header, DurabilityMode.ALWAYS, InstantSource.system());
            Path file = SegmentFiles.active(mnt, "full");
            List<NewDocument> kept = new ArrayList<>(documents(10, 400));
            active.append(kept);
            long size = Files.size(file);
            // room for the first bufferful of the next batch, not for its ~1.2 MB
            Path ballast = mnt.resolve("ballast");
            long free = Files.getFileStore(mnt).getUsableSpace();
            try (RandomAccessFile out = new RandomAccessFile(ballast.toFile(), "rw")) {
                out.write(new byte[(int) (free - ActiveSegment.FRAME_BUFFER_BYTES - 64 * 1024)]);
            }
            List<NewDocument> refused = documents(3_000, 400);
            assertThrows(IOException.class, () -> active.append(refused));

            assertEquals(size, Files.size(file), "the batch's first bufferful was cut off again");
            assertFalse(active.get(refused.getFirst().id()).isPresent());
            SegmentRoundTripTest.assertReadsBack(kept, active::get, active::scan);
            // once there is room, the segment takes writes again right after what it kept
            Files.delete(ballast);
            List<NewDocument> after = documents(5, 400);
            active.append(after);
            kept.addAll(after);
            SegmentRoundTripTest.assertReadsBack(kept, active::get, active::scan);
            active.close();
            assertTrue(active.awaitClosed(Duration.ofSeconds(5)));
            ActiveSegmentRecovery.Recovered recovered =
                    ActiveSegmentRecovery.recover(file, DurabilityMode.ALWAYS, InstantSource.system());
            assertEquals(kept.size(), recovered.records());
            assertEquals(0, recovered.truncatedBytes());
            SegmentRoundTripTest.assertReadsBack(kept, recovered.segment()::get, recovered.segment()::scan);
            recovered.segment().close();
            assertTrue(recovered.segment().awaitClosed(Duration.ofSeconds(5)));
        }
    }

    private List<NewDocument> documents(int count, int textLength) {
        List<NewDocument> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(document(textLength));
        }
        return docs;
    }

    /** A document holding {@code textLength} random printable characters: they compress little. */
    private NewDocument document(int textLength) {
        StringBuilder text = new StringBuilder(textLength);
        for (int i = 0; i < textLength; i++) {
            text.append((char) random.nextInt(0x21, 0x7f));
        }
        return new NewDocument(
                ids.nextId(),
                1_000L + random.nextInt(1_000_000),
                TestDocuments.msgpack(Map.of("text", text.toString())));
    }
}
