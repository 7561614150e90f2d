package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.DurableFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The journal's epoch: a random id written once, when a journal directory is first used
 * ({@code journal/epoch}, one line). Seqs are unique within an epoch only: a node that lost its
 * volume starts a new journal at seq 1 under a new epoch, and a consumer that remembers
 * (epoch, seq) sees the change in {@code GET /events} and starts over instead of waiting for a
 * seq the new journal will reach only much later. Journal repair keeps the epoch (it never
 * reuses seqs).
 *
 * <p>Crash safety: written to {@code epoch.tmp}, forced, renamed, directory forced; a leftover
 * temp file is overwritten. Thread-safety: called once, while the journal opens.
 */
final class JournalEpoch {
    static final String FILE = "epoch";

    private JournalEpoch() {}

    /** The epoch of the journal in {@code dir}, created when the directory has none. */
    static String readOrCreate(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            try {
                return UUID.fromString(text).toString();
            } catch (IllegalArgumentException e) {
                throw new JournalCorruptedException(
                        file, 0, "journal epoch is not an id: '" + text + "' (delete the file: a new epoch starts)");
            }
        }
        String epoch = UUID.randomUUID().toString();
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap((epoch + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(dir);
        return epoch;
    }
}
