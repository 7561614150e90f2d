package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.InsufficientStorageException;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free disk in the data directory against {@code segments.min-free-disk}: below it, writes are
 * refused (507) and reads go on. Thread-safe.
 */
final class FreeDisk {
    private final Path dataDir;
    private final long minFreeDisk;
    /** The data directory's file system, looked up on first use (see {@link #bytes}). */
    private volatile FileStore fileStore;

    FreeDisk(Path dataDir, long minFreeDisk) {
        this.dataDir = dataDir;
        this.minFreeDisk = minFreeDisk;
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
            return bytes() < minFreeDisk;
        } catch (IOException e) {
            return true;
        }
    }

    /** @throws InsufficientStorageException when free disk is below the minimum */
    void check() throws IOException {
        long free = bytes();
        if (free < minFreeDisk) {
            throw new InsufficientStorageException(
                    "only " + free + " bytes free in the data directory, below segments.min-free-disk ("
                            + ConfigValues.size(minFreeDisk) + "): writes are refused, reads go on");
        }
    }
}
