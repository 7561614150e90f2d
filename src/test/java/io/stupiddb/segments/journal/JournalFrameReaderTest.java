package io.stupiddb.segments.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.stupiddb.segments.journal.JournalFixtures.bytes;
import static io.stupiddb.segments.journal.JournalFixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalFrameReader}: frames read in order through its buffer, each kind of bad frame,
 * and record decoding.
 */
class JournalFrameReaderTest {

    @TempDir
    Path tmp;

    private int files;

    /** A journal file: the header, then the frames of seqs 1..count; returns the frame offsets plus the end. */
    private long[] writeFile(Path file, int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(JournalCodec.header(1)));
        long[] boundaries = new long[count + 1];
        for (int seq = 1; seq <= count; seq++) {
            boundaries[seq - 1] = out.size();
            out.writeBytes(bytes(JournalCodec.frame(event(seq))));
        }
        boundaries[count] = out.size();
        Files.write(file, out.toByteArray());
        return boundaries;
    }

    private static List<LifecycleEvent> readAll(JournalFrameReader reader, Path file, long firstSeq)
            throws IOException, JournalFrameReader.BadFrameException {
        List<LifecycleEvent> events = new ArrayList<>();
        long offset = reader.offset();
        for (ByteBuffer payload; (payload = reader.next()) != null; offset = reader.offset()) {
            events.add(JournalFrameReader.decodeRecord(file, offset, payload, firstSeq + events.size()));
        }
        return events;
    }

    @Test
    void readsEveryFrameInOrderAcrossManyBufferRefills() throws Exception {
        Path file = tmp.resolve(JournalFile.fileName(1));
        int count = 12_000; // well over the buffer of one largest payload (256 KiB)
        long[] boundaries = writeFile(file, count);
        assertTrue(boundaries[count] > 2L * JournalCodec.MAX_PAYLOAD);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JournalFrameReader reader = new JournalFrameReader(channel, JournalCodec.HEADER_BYTES, channel.size());
            List<LifecycleEvent> events = readAll(reader, file, 1);
            assertEquals(count, events.size());
            for (int i = 0; i < count; i++) {
                assertEquals(event(i + 1), events.get(i));
            }
            assertEquals(boundaries[count], reader.offset());
            assertNull(reader.next(), "the end stays the end");
        }
    }

    @Test
    void readsOnlyTheGivenRange() throws Exception {
        Path file = tmp.resolve(JournalFile.fileName(1));
        long[] boundaries = writeFile(file, 10);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JournalFrameReader reader = new JournalFrameReader(channel, boundaries[3], boundaries[7]);
            assertEquals(List.of(event(4), event(5), event(6), event(7)), readAll(reader, file, 4));
            assertEquals(boundaries[7], reader.offset());
        }
    }

    /** The problem reported for the frame after the first one once the file holds {@code tail} there instead. */
    private JournalFrameReader.BadFrameException badSecondFrame(byte[] tail) throws Exception {
        Path file = tmp.resolve("bad-" + files++ + ".log");
        long[] boundaries = writeFile(file, 1);
        Files.write(file, tail, StandardOpenOption.APPEND);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JournalFrameReader reader = new JournalFrameReader(channel, JournalCodec.HEADER_BYTES, channel.size());
            assertEquals(event(1), JournalFrameReader.decodeRecord(file, JournalCodec.HEADER_BYTES, reader.next(), 1));
            var bad = assertThrows(JournalFrameReader.BadFrameException.class, reader::next);
            assertEquals(boundaries[1], bad.offset);
            assertEquals(boundaries[1], reader.offset(), "the reader does not advance past a bad frame");
            assertThrows(JournalFrameReader.BadFrameException.class, reader::next, "and says so again");
            return bad;
        }
    }

    @Test
    void eachKindOfBadFrameIsNamedWithWhereItClaimsToEnd() throws Exception {
        byte[] frame = bytes(JournalCodec.frame(event(2)));
        int length = frame.length - JournalCodec.FRAME_OVERHEAD;

        var shortHeader = badSecondFrame(Arrays.copyOf(frame, JournalCodec.FRAME_OVERHEAD - 1));
        assertEquals(JournalFrameReader.Problem.SHORT_HEADER, shortHeader.problem);
        assertEquals(-1, shortHeader.frameEnd);

        var zeroLength = badSecondFrame(new byte[JournalCodec.FRAME_OVERHEAD + 4]);
        assertEquals(JournalFrameReader.Problem.BAD_LENGTH, zeroLength.problem);

        byte[] huge = frame.clone();
        ByteBuffer.wrap(huge).putInt(0, JournalCodec.MAX_PAYLOAD + 1);
        var tooLong = badSecondFrame(huge);
        assertEquals(JournalFrameReader.Problem.BAD_LENGTH, tooLong.problem);
        assertTrue(tooLong.getMessage().contains(String.valueOf(JournalCodec.MAX_PAYLOAD + 1)), tooLong.getMessage());

        var cutShort = badSecondFrame(Arrays.copyOf(frame, frame.length - 1));
        assertEquals(JournalFrameReader.Problem.SHORT_FRAME, cutShort.problem);
        assertEquals(cutShort.offset + JournalCodec.FRAME_OVERHEAD + length, cutShort.frameEnd);

        byte[] flipped = frame.clone();
        flipped[flipped.length - 1] ^= 1;
        var checksum = badSecondFrame(flipped);
        assertEquals(JournalFrameReader.Problem.CHECKSUM, checksum.problem);
        assertEquals(checksum.offset + frame.length, checksum.frameEnd);
    }

    @Test
    void aFileShorterThanTheRangeIsAnIoErrorNotABadFrame() throws Exception {
        Path file = tmp.resolve(JournalFile.fileName(1));
        long[] boundaries = writeFile(file, 3);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            JournalFrameReader reader = new JournalFrameReader(channel, JournalCodec.HEADER_BYTES, boundaries[3] + 500);
            reader.next();
            reader.next();
            reader.next();
            var e = assertThrows(IOException.class, reader::next);
            assertTrue(e.getMessage().contains("shrank"), e.getMessage());
        }
    }

    @Test
    void aRecordMustDecodeAndHoldTheExpectedSeq() throws Exception {
        Path file = tmp.resolve(JournalFile.fileName(1));
        ByteBuffer frame = JournalCodec.frame(event(7));
        ByteBuffer payload = frame.slice(JournalCodec.FRAME_OVERHEAD, frame.remaining() - JournalCodec.FRAME_OVERHEAD);
        assertEquals(event(7), JournalFrameReader.decodeRecord(file, 99, payload.duplicate(), 7));

        var wrongSeq = assertThrows(
                JournalCorruptedException.class,
                () -> JournalFrameReader.decodeRecord(file, 99, payload.duplicate(), 8));
        assertEquals(file, wrongSeq.path());
        assertEquals(99, wrongSeq.offset());
        assertTrue(wrongSeq.getMessage().contains("record has seq 7, expected 8"), wrongSeq.getMessage());

        ByteBuffer unknownVersion = ByteBuffer.wrap(bytes(payload));
        unknownVersion.put(0, (byte) 9);
        var notAnEvent = assertThrows(
                JournalCorruptedException.class, () -> JournalFrameReader.decodeRecord(file, 42, unknownVersion, 7));
        assertEquals(42, notAnEvent.offset());
        assertTrue(notAnEvent.getMessage().contains("not a valid event"), notAnEvent.getMessage());
    }
}
