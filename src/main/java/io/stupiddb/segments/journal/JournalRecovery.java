package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.DurableFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Opens a journal directory: the numbered passes of {@link LifecycleJournal}'s "Recovery"
 * section, which says what each one checks. This class holds how: loading and verifying each
 * file, telling a torn append from damage, and the high-water check.
 *
 * <p>Thread-safety: stateless; runs before the journal exists, with the directory to itself
 * (the caller holds the data directory's lock).
 */
final class JournalRecovery {

    private static final System.Logger LOG = System.getLogger(LifecycleJournal.class.getName());

    /**
     * What recovery hands the appender: the checked files (non-empty, the last one active), the
     * high-water file open for writing, and a write channel on the active file. The receiver owns
     * both open resources.
     */
    record Recovered(TreeMap<Long, JournalFile> files, JournalHighWater highWater, FileChannel activeChannel) {}

    private JournalRecovery() {}

    /**
     * Recovers the journal in {@code dir}, creating it when missing.
     *
     * @throws JournalCorruptedException when a file is damaged beyond a torn tail, or acknowledged
     *                                   events are missing
     */
    static Recovered recover(Path dir) throws IOException {
        // 1. Directory.
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                DurableFiles.syncDirectory(parent);
            }
        }
        // 2. Leftovers of an interrupted file creation.
        JournalDirectory.deleteLeftovers(dir);
        // 3. Check every file; only the newest may lose a torn tail, and only a record that was
        // never acknowledged: one past the high-water seq.
        OptionalLong highWater = JournalHighWater.read(dir);
        long acknowledged = highWater.orElse(0);
        TreeMap<Long, Path> found = JournalDirectory.list(dir);
        TreeMap<Long, JournalFile> files = new TreeMap<>();
        long expected = found.isEmpty() ? 1 : found.firstKey();
        for (Map.Entry<Long, Path> entry : found.entrySet()) {
            long firstSeq = entry.getKey();
            Path path = entry.getValue();
            JournalFile file = load(path, firstSeq, firstSeq == found.lastKey(), acknowledged);
            // Only a file started after a cut tail may skip (exactly the one seq the cut record may have had).
            boolean skipped = file.afterCut && firstSeq == expected + 1 && !files.isEmpty();
            if (firstSeq != expected && !skipped) {
                throw new JournalCorruptedException(
                        path,
                        0,
                        "file starts at seq " + firstSeq + " but the previous file ends at seq " + (expected - 1)
                                + " (a journal file is missing)");
            }
            files.put(firstSeq, file);
            expected = file.lastSeq() + 1;
        }
        // 4. A new journal; or, after a cut tail, a new file one seq further: the cut record may have
        // been acknowledged and seen under its seq, so that seq is never given to another event.
        if (files.isEmpty()) {
            JournalFile first = JournalDirectory.createFile(dir, 1, false);
            files.put(first.firstSeq, first);
        } else if (files.lastEntry().getValue().tailCut) {
            JournalFile next = JournalDirectory.createFile(
                    dir, files.lastEntry().getValue().lastSeq() + 2, true);
            files.put(next.firstSeq, next);
        }
        JournalFile active = files.lastEntry().getValue();
        // 5. Nothing acknowledged may be missing at the end: a cut exactly at a record boundary,
        // or a lost newest file, leaves intact records that end before the high-water seq.
        long end = active.lastSeq();
        if (end < acknowledged) {
            throw new JournalCorruptedException(
                    active.path,
                    active.committedBytes(),
                    "the journal ends at seq "
                            + end + " but seq " + acknowledged + " was acknowledged (" + JournalHighWater.FILE_NAME
                            + "): the records after seq " + end + " are missing");
        }
        // 6. The high-water file (created holding the last seq when missing), then the active file for appends.
        JournalHighWater highWaterMark = JournalHighWater.open(dir, active.lastSeq());
        boolean success = false;
        try {
            if (highWater.isEmpty()) {
                DurableFiles.syncDirectory(dir);
            }
            FileChannel activeChannel = FileChannel.open(active.path, StandardOpenOption.WRITE);
            success = true;
            return new Recovered(files, highWaterMark, activeChannel);
        } finally {
            if (!success) {
                highWaterMark.close();
            }
        }
    }

    /**
     * Checks one file and returns what it holds; truncates a torn tail when {@code newest} and
     * the records before it reach the {@code acknowledged} seq (else the bad record was
     * acknowledged, so it is damage, not a torn append).
     */
    private static JournalFile load(Path path, long firstSeq, boolean newest, long acknowledged) throws IOException {
        try (FileChannel channel = newest
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = readAt(channel, 0, (int) Math.min(size, JournalCodec.HEADER_BYTES));
            String headerProblem = JournalCodec.checkHeader(header, firstSeq);
            if (headerProblem != null) {
                throw new JournalCorruptedException(path, 0, headerProblem);
            }
            JournalFile file = new JournalFile(path, firstSeq);
            file.afterCut = JournalCodec.afterCut(header);
            JournalFrameReader reader = new JournalFrameReader(channel, JournalCodec.HEADER_BYTES, size);
            while (true) {
                long offset = reader.offset();
                ByteBuffer payload;
                try {
                    payload = reader.next();
                } catch (JournalFrameReader.BadFrameException bad) {
                    if (newest && file.lastSeq() >= acknowledged && isTornTail(channel, bad, size)) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "lifecycle journal: truncating torn tail of {0} at"
                                        + " offset {1} ({2} bytes: {3}); the last append did not complete",
                                path,
                                bad.offset,
                                size - bad.offset,
                                bad.getMessage());
                        channel.truncate(bad.offset);
                        channel.force(true);
                        file.tailCut = true;
                        break;
                    }
                    throw new JournalCorruptedException(
                            path,
                            bad.offset,
                            bad.getMessage()
                                    + (!newest
                                            ? "; only the newest file can end in a torn append"
                                            : file.lastSeq() < acknowledged
                                                    ? "; not a torn append: seq " + acknowledged + " was acknowledged ("
                                                            + JournalHighWater.FILE_NAME + ")"
                                                    : "; not a torn append: more data follows it"));
                }
                if (payload == null) {
                    break;
                }
                LifecycleEvent event = JournalFrameReader.decodeRecord(path, offset, payload, file.lastSeq() + 1);
                file.committed(event.seq(), offset, reader.offset(), event.at().toEpochMilli());
            }
            return file;
        }
    }

    /**
     * Whether a bad frame at the end of the newest file can be the one append that was in flight
     * when the process died: it is the last thing in the file (at most one frame long, followed by
     * nothing or by zeros the file system extended the file with) and no intact frame starts
     * anywhere after its first byte.
     */
    private static boolean isTornTail(FileChannel channel, JournalFrameReader.BadFrameException bad, long size)
            throws IOException {
        long tail = size - bad.offset;
        if (tail > JournalCodec.FRAME_OVERHEAD + JournalCodec.MAX_PAYLOAD) {
            return false;
        }
        ByteBuffer bytes = readAt(channel, bad.offset, (int) tail);
        boolean lastThing = switch (bad.problem) {
            case SHORT_HEADER, SHORT_FRAME -> true;
            case BAD_LENGTH -> allZero(bytes, 0);
            case CHECKSUM -> allZero(bytes, (int) (bad.frameEnd - bad.offset));
        };
        return lastThing && !containsIntactFrame(bytes, 1);
    }

    private static boolean allZero(ByteBuffer bytes, int from) {
        for (int i = from; i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIntactFrame(ByteBuffer bytes, int from) {
        for (int p = from; p + JournalCodec.FRAME_OVERHEAD < bytes.limit(); p++) {
            long length = Integer.toUnsignedLong(bytes.getInt(p));
            if (length == 0
                    || p + JournalCodec.FRAME_OVERHEAD + length > bytes.limit()
                    || bytes.get(p + JournalCodec.FRAME_OVERHEAD) != JournalCodec.PAYLOAD_VERSION) {
                continue;
            }
            ByteBuffer payload = bytes.slice(p + JournalCodec.FRAME_OVERHEAD, (int) length);
            if (JournalCodec.crc(payload) == bytes.getInt(p + 4)) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
