package io.stupiddb.segments.segment;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.testing.DictionaryFixture;
import io.stupiddb.segments.testing.TestDocuments;
import io.stupiddb.segments.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recovery of an active segment left by a crash: exactly the complete records before the damage survive. */
class ActiveSegmentRecoveryTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("recovery");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestFiles.deleteRecursively(dir);
    }

    /** Writes a small active segment and returns its documents in write order (file left unsealed). */
    private List<NewDocument> writeActive(String id, Codec codec, int batches) throws IOException {
        TestDocuments generator = new TestDocuments(11);
        ActiveSegment active = ActiveSegment.create(
                dir,
                SegmentHeader.create(id, 5L, codec, 3, 0, codec == Codec.ZSTD ? DictionaryFixture.dictionary() : null),
                DurabilityMode.ALWAYS,
                InstantSource.system());
        List<NewDocument> written = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<NewDocument> batch = generator.batch(1 + b % 3);
            active.append(batch);
            written.addAll(batch);
        }
        active.close();
        return written;
    }

    @Test
    void truncatingAtEveryByteRecoversExactlyTheCompleteRecords() throws Exception {
        List<NewDocument> written = writeActive("cut", Codec.ZSTD, 5);
        byte[] full = Files.readAllBytes(SegmentFiles.active(dir, "cut"));
        int headerLength = SegmentHeader.create("cut", 5L, Codec.ZSTD, 3, 0, DictionaryFixture.dictionary())
                .encodedLength();
        List<Long> recordEnds = recordEnds(full, headerLength, written.size());
        Path work = Files.createDirectory(dir.resolve("work"));
        for (int cut = 0; cut <= full.length; cut++) {
            Path file = SegmentFiles.active(work, "cut");
            Files.write(file, Arrays.copyOf(full, cut));
            if (cut < headerLength) {
                assertThrows(
                        CorruptSegmentException.class,
                        () -> ActiveSegmentRecovery.recover(file, DurabilityMode.NEVER, InstantSource.system()),
                        "cut at " + cut + " inside the header");
                Files.delete(file);
                continue;
            }
            final int at = cut;
            long complete = recordEnds.stream().filter(end -> end <= at).count();
            ActiveSegmentRecovery.Recovered recovered =
                    ActiveSegmentRecovery.recover(file, DurabilityMode.NEVER, InstantSource.system());
            assertEquals(complete, recovered.records(), "records kept after a cut at byte " + cut);
            long keptEnd = complete == 0 ? headerLength : recordEnds.get((int) complete - 1);
            assertEquals(cut - keptEnd, recovered.truncatedBytes());
            assertEquals(keptEnd, Files.size(file), "file truncated to the last complete record");
            if (complete == 0) {
                recovered.segment().close();
                Files.delete(file);
                continue;
            }
            SealedSegment sealed = recovered.segment().seal();
            SegmentRoundTripTest.assertReadsBack(written.subList(0, (int) complete), sealed::get, sealed::scan);
            sealed.verify();
            sealed.close();
            assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
            Files.delete(SegmentFiles.sealed(work, "cut"));
        }
    }

    @Test
    void anInterruptedSealIsCutBackAndSealedAgain() throws Exception {
        List<NewDocument> written = writeActive("seal", Codec.NONE, 4);
        Path active = SegmentFiles.active(dir, "seal");
        long recordsEnd = Files.size(active);
        ActiveSegmentRecovery.Recovered first =
                ActiveSegmentRecovery.recover(active, DurabilityMode.NEVER, InstantSource.system());
        SealedSegment sealed = first.segment().seal();
        sealed.close();
        assertTrue(sealed.awaitUnmapped(Duration.ofSeconds(5)));
        byte[] sealedBytes = Files.readAllBytes(SegmentFiles.sealed(dir, "seal"));
        Files.delete(SegmentFiles.sealed(dir, "seal"));
        // Crash anywhere while the index and footer were being written, or after but before the rename.
        for (long cut = recordsEnd; cut <= sealedBytes.length; cut += 7) {
            Files.write(active, Arrays.copyOf(sealedBytes, (int) cut));
            ActiveSegmentRecovery.Recovered again =
                    ActiveSegmentRecovery.recover(active, DurabilityMode.NEVER, InstantSource.system());
            assertEquals(written.size(), again.records(), "cut at " + cut);
            assertEquals(recordsEnd, Files.size(active));
            SealedSegment resealed = again.segment().seal();
            SegmentRoundTripTest.assertReadsBack(written, resealed::get, resealed::scan);
            resealed.close();
            assertTrue(resealed.awaitUnmapped(Duration.ofSeconds(5)));
            Files.delete(SegmentFiles.sealed(dir, "seal"));
        }
    }

    @Test
    void garbageAfterTheLastRecordIsCutOff() throws Exception {
        List<NewDocument> written = writeActive("junk", Codec.ZSTD, 3);
        Path active = SegmentFiles.active(dir, "junk");
        long size = Files.size(active);
        byte[] junk = new byte[4096];
        new java.util.Random(3).nextBytes(junk);
        Files.write(active, junk, java.nio.file.StandardOpenOption.APPEND);
        ActiveSegmentRecovery.Recovered recovered =
                ActiveSegmentRecovery.recover(active, DurabilityMode.NEVER, InstantSource.system());
        assertEquals(written.size(), recovered.records());
        assertEquals(4096, recovered.truncatedBytes());
        assertEquals(size, Files.size(active));
        // The recovered segment takes appends again before it is sealed.
        List<NewDocument> more = new ArrayList<>(written);
        TestDocuments generator = new TestDocuments(12);
        List<NewDocument> extra = new ArrayList<>();
        for (NewDocument doc : generator.batch(2)) {
            java.util.UUID next = new java.util.UUID(
                    doc.id().getMostSignificantBits() + (1L << 40), doc.id().getLeastSignificantBits());
            extra.add(new NewDocument(next, doc.timestamp(), doc.source()));
        }
        recovered.segment().append(extra);
        more.addAll(extra);
        SealedSegment sealed = recovered.segment().seal();
        SegmentRoundTripTest.assertReadsBack(more, sealed::get, sealed::scan);
        sealed.close();
    }

    @Test
    void zeroFilledTailFromAnUnflushedExtentIsCutOff() throws Exception {
        List<NewDocument> written = writeActive("zeros", Codec.NONE, 2);
        Path active = SegmentFiles.active(dir, "zeros");
        Files.write(active, new byte[8192], java.nio.file.StandardOpenOption.APPEND);
        ActiveSegmentRecovery.Recovered recovered =
                ActiveSegmentRecovery.recover(active, DurabilityMode.NEVER, InstantSource.system());
        assertEquals(written.size(), recovered.records());
        assertEquals(8192, recovered.truncatedBytes());
        recovered.segment().close();
    }

    @Test
    void aBadRecordWithIntactRecordsAfterItIsDamageAndTheHandlerSeesTheFileAsFound() throws Exception {
        List<NewDocument> written = writeActive("rot", Codec.ZSTD, 8); // 1+2+3+1+2+3+1+2 = 15 records
        Path active = SegmentFiles.active(dir, "rot");
        byte[] full = Files.readAllBytes(active);
        int headerLength = SegmentHeader.create("rot", 5L, Codec.ZSTD, 3, 0, DictionaryFixture.dictionary())
                .encodedLength();
        List<Long> ends = recordEnds(full, headerLength, written.size());
        for (int bad = 0; bad < written.size() - 1; bad++) {
            long start = bad == 0 ? headerLength : ends.get(bad - 1);
            for (long offset : new long[] {start, start + 8, ends.get(bad) - 1}) {
                byte[] damaged = full.clone();
                damaged[(int) offset] ^= 0x04;
                Files.write(active, damaged);
                String what = "record " + bad + " damaged at byte " + offset;
                List<String> calls = new ArrayList<>();
                final int kept = bad;
                ActiveSegmentRecovery.Recovered recovered = ActiveSegmentRecovery.recover(
                        active, DurabilityMode.NEVER, InstantSource.system(), null, (file, at, problem, after) -> {
                            assertArrayEquals(damaged, Files.readAllBytes(file), what + ": not cut yet");
                            calls.add(at + "/" + after);
                        });
                assertEquals(List.of(start + "/" + (written.size() - 1 - kept)), calls, what);
                assertEquals(bad, recovered.records(), what);
                assertEquals(written.size() - 1 - bad, recovered.recordsCut(), what);
                assertEquals(start, Files.size(active), what);
                recovered.segment().close();
            }
        }
    }

    @Test
    void tornAppendsAndJunkAreNotReportedAsDamage() throws Exception {
        List<NewDocument> written = writeActive("torn", Codec.ZSTD, 5);
        Path active = SegmentFiles.active(dir, "torn");
        byte[] full = Files.readAllBytes(active);
        java.util.Random random = new java.util.Random(5);
        for (int cut = full.length - 300; cut < full.length; cut += 3) {
            byte[] junk = new byte[random.nextInt(8192)];
            random.nextBytes(junk);
            byte[] torn = Arrays.copyOf(full, cut + junk.length);
            System.arraycopy(junk, 0, torn, cut, junk.length);
            Files.write(active, torn);
            assertEquals(0, ActiveSegmentRecovery.check(active).intactRecordsAfterStop(), "cut at " + cut);
            ActiveSegmentRecovery.Recovered recovered = ActiveSegmentRecovery.recover(
                    active, DurabilityMode.NEVER, InstantSource.system(), null, (file, at, problem, after) -> {
                        throw new AssertionError("torn append reported as damage at " + at);
                    });
            assertEquals(0, recovered.recordsCut());
            recovered.segment().close();
        }
    }

    /** Record boundaries computed independently of the reader: from the frame length fields. */
    private static List<Long> recordEnds(byte[] file, int headerLength, int records) {
        List<Long> ends = new ArrayList<>();
        long at = headerLength;
        for (int i = 0; i < records; i++) {
            long body = java.nio.ByteBuffer.wrap(file, (int) at, 4).getInt() & 0xFFFFFFFFL;
            at += 8 + body;
            ends.add(at);
        }
        assertEquals(file.length, at, "records fill the active file");
        return ends;
    }
}
