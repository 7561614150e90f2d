package io.stupiddb.segments.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared by the journal tests: event drafts, appending many, and looking at the files on disk. */
final class JournalFixtures {

    /** The tests' clock starts here. */
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private JournalFixtures() {}

    static LifecycleEvent.Draft draft(int i) {
        String segment = "seg-" + i;
        return switch (i % 4) {
            case 0 -> LifecycleEvent.Draft.sealed(segment, 1000L + i, 2000L + i, i);
            case 1 -> LifecycleEvent.Draft.archived(segment, null, 2000L + i, i);
            case 2 -> LifecycleEvent.Draft.evicted(segment, EvictionReason.values()[i % 3], 1000L, null, i);
            default -> LifecycleEvent.Draft.quarantined(segment, "bad footer #" + i, null, null, 0);
        };
    }

    /** The event a journal would make of {@link #draft draft(seq)} as its record {@code seq}. */
    static LifecycleEvent event(long seq) {
        return draft((int) seq).toEvent(seq, T0.plusSeconds(seq));
    }

    /** The remaining bytes of {@code buffer}, which is left as it was. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static List<LifecycleEvent> appendMany(LifecycleJournal journal, int from, int count) throws IOException {
        List<LifecycleEvent> appended = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            appended.add(journal.append(draft(i)));
        }
        return appended;
    }

    static List<Path> journalFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("journal-\\d{20}\\.log"))
                    .sorted()
                    .toList();
        }
    }

    static List<Long> seqs(List<LifecycleEvent> events) {
        return events.stream().map(LifecycleEvent::seq).toList();
    }

    /**
     * What the high-water file holds after a crash between forcing the record of seq + 1 and
     * recording it there: seq. (A test that cuts the last record models that crash.)
     */
    static void crashedBeforeHighWaterOf(Path dir, long seq) throws IOException {
        Files.deleteIfExists(dir.resolve(JournalHighWater.FILE_NAME));
        JournalHighWater.open(dir, seq).close();
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path p : journalFiles(from)) {
            Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    /** Offsets of every record in a file, plus the file length at the end. */
    static long[] recordBoundaries(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Long> offsets = new ArrayList<>();
        int p = JournalCodec.HEADER_BYTES;
        while (p < bytes.length) {
            offsets.add((long) p);
            p += JournalCodec.FRAME_OVERHEAD
                    + java.nio.ByteBuffer.wrap(bytes, p, 4).getInt();
        }
        offsets.add((long) p);
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }

    static int countRecords(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int count = 0;
        for (int p = JournalCodec.HEADER_BYTES; p < bytes.length; count++) {
            int length = java.nio.ByteBuffer.wrap(bytes, p, 4).getInt();
            p += JournalCodec.FRAME_OVERHEAD + length;
        }
        return count;
    }
}
