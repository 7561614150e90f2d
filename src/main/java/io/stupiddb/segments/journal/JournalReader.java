package io.stupiddb.segments.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads events back for {@link LifecycleJournal#eventsAfter}: plans which files and byte ranges
 * hold the wanted seqs (a snapshot of forced bytes, taken under the file list's read lock), then
 * reads them on its own channels without any lock, re-planning when {@code trim} deleted a
 * planned file.
 *
 * <p>Invariants: a result is gap-free and in seq order; every record read is checked (checksum,
 * decoding, seq) again, so damage at rest since recovery is reported, not returned.
 *
 * <p>Thread-safety: thread-safe and stateless apart from the shared {@link JournalFileList};
 * any number of readers run beside the appender.
 */
final class JournalReader {

    /** How often a read re-plans after {@code trim} deleted every file it had planned. */
    private static final int READ_RETRIES = 3;

    private final JournalFileList fileList;

    JournalReader(JournalFileList fileList) {
        this.fileList = fileList;
    }

    /** Where to read the events from {@code from} on: a snapshot of forced bytes. */
    private record ReadPlan(Path path, long startSeq, long startOffset, long endOffset) {}

    /**
     * Up to {@code limit} events with {@code afterSeq < seq <= lastSeq}, oldest first; see
     * {@link LifecycleJournal#eventsAfter} for the contract. The caller has checked the arguments.
     */
    List<LifecycleEvent> eventsAfter(long afterSeq, int limit, long lastSeq) throws IOException {
        if (afterSeq >= lastSeq) {
            return List.of(); // also keeps afterSeq + 1 from overflowing
        }
        long from = afterSeq + 1;
        List<LifecycleEvent> events = new ArrayList<>(Math.min(limit, 1024));
        for (int attempt = 1; ; attempt++) {
            try {
                for (ReadPlan plan : plan(from)) {
                    read(plan, from, limit, events);
                    if (events.size() >= limit) {
                        break;
                    }
                }
                return List.copyOf(events);
            } catch (NoSuchFileException trimmed) {
                // trim() deleted a planned file. Everything read so far is contiguous: return it.
                // Otherwise plan again; the new plan starts at the oldest retained file.
                if (!events.isEmpty()) {
                    return List.copyOf(events);
                }
                if (attempt == READ_RETRIES) {
                    throw trimmed;
                }
            }
        }
    }

    private List<ReadPlan> plan(long from) {
        return fileList.read(files -> {
            List<ReadPlan> plans = new ArrayList<>();
            Long start = files.floorKey(from);
            Map<Long, JournalFile> candidates = start == null ? files : files.tailMap(start, true);
            for (JournalFile file : candidates.values()) {
                if (file.isEmpty() || file.lastSeq() < from) {
                    continue;
                }
                long seq = Math.max(from, file.firstSeq);
                plans.add(new ReadPlan(
                        file.path, file.scanStartSeq(seq), file.scanStartOffset(seq), file.committedBytes()));
            }
            return plans;
        });
    }

    private static void read(ReadPlan plan, long from, int limit, List<LifecycleEvent> into) throws IOException {
        try (FileChannel channel = FileChannel.open(plan.path(), StandardOpenOption.READ)) {
            JournalFrameReader reader = new JournalFrameReader(channel, plan.startOffset(), plan.endOffset());
            long seq = plan.startSeq();
            while (into.size() < limit) {
                long offset = reader.offset();
                ByteBuffer payload;
                try {
                    payload = reader.next();
                } catch (JournalFrameReader.BadFrameException bad) {
                    throw new JournalCorruptedException(plan.path(), bad.offset, bad.getMessage());
                }
                if (payload == null) {
                    return;
                }
                if (seq >= from) {
                    into.add(JournalFrameReader.decodeRecord(plan.path(), offset, payload, seq));
                }
                seq++;
            }
        }
    }
}
