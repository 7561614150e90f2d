package io.stupiddb.segments.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The two file-system calls every durable file of the store is written with: a positional write
 * that writes everything, and the directory fsync that makes a create, rename or delete survive
 * a crash. Segments and the journal share them.
 */
public final class DurableFiles {
    private DurableFiles() {}

    /** Writes all of {@code buffer} at {@code position} (a positional write may write less than asked). */
    public static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** fsyncs a directory so that creates, renames and deletes in it survive a crash (Linux, macOS). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
