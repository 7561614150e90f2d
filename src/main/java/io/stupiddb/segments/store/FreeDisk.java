package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.InsufficientStorageException;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Free disk in the data directory against {@code segments.min-free-disk}: below it, writes are
 * refused (507) and reads go on. Space the background compaction may still need
 * ({@code reserved}) counts as used, so writes cannot take the disk a rewrite in progress needs.
 * Thread-safe.
 */
final class FreeDisk {
    private final Path dataDir;
    private final long minFreeDisk;
    private final LongSupplier reserved;
    /** The data directory's file system, looked up on first use (see {@link #bytes}). */
    private volatile FileStore fileStore;

    FreeDisk(Path dataDir, long minFreeDisk, LongSupplier reserved) {
        this.dataDir = dataDir;
        this.minFreeDisk = minFreeDisk;
        this.reserved = reserved;
    }

    /**
     * Usable bytes in the data directory's file system. The FileStore is looked up once: the lookup
     * scans the mount table (~100-250 µs, measured by bench/PeersBench), and every write checks free
     * disk; its getUsableSpace() is a statvfs of the data directory's path (~2 µs).
     */
    long bytes() throws IOException {
        FileStore store = fileStore;
        if (store == null) {
            store = Files.getFileStore(dataDir);
            fileStore = store;
        }
        return store.getUsableSpace();
    }

    /** Whether writes are refused for lack of disk (also when free disk cannot be read). */
    boolean belowMinimum() {
        try {
            return bytes() - reserved.getAsLong() < minFreeDisk;
        } catch (IOException e) {
            return true;
        }
    }

    /** @throws InsufficientStorageException when free disk is below the minimum */
    void check() throws IOException {
        long free = bytes();
        long held = reserved.getAsLong();
        if (free - held < minFreeDisk) {
            throw new InsufficientStorageException("only " + free + " bytes free in the data directory"
                    + (held > 0 ? " (" + held + " of them reserved for compacting sealed segments)" : "")
                    + ", below segments.min-free-disk (" + ConfigValues.size(minFreeDisk)
                    + "): writes are refused, reads go on");
        }
    }
}
