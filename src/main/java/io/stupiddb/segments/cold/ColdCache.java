package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local copies of archived segments read back from the bucket, on the data volume
 * ({@code <data-dir>/cold-cache/}), at most {@code segments.archive.cache-size} bytes, least
 * recently used out first. Each copy is a whole object, checked against the SHA-256 recorded at
 * upload before it is renamed into place, then mapped like any sealed segment (so every record
 * checksum is checked again on every read).
 *
 * <p>Layout: {@code <id>.seg} (a verified copy), {@code incoming/<id>.seg} (a download in
 * progress, deleted at start-up). The directory is emptied when the store opens: the cache is warm again
 * after the first reads.
 *
 * <p>Invariants: a copy leaves the map before its file is deleted, and the file goes only after
 * its last reader has left ({@link SealedSegment#close(Runnable)}); the bytes of the mapped
 * copies never exceed the cache size except while one object larger than the whole cache is
 * being read.
 *
 * <p>Thread-safety: thread-safe. {@code mapLock} guards the map and the byte count; downloads
 * run outside it, one per segment at a time ({@code downloads}), so a slow GET blocks only the
 * readers of that segment.
 */
final class ColdCache implements AutoCloseable {
    /** Downloads in progress, named like segment files so a damaged one is quarantined under its id. */
    private static final String INCOMING = "incoming";

    private final Path dir;
    private final long capacity;
    private final S3Objects objects;
    private final DecompressionContexts contexts;
    /** Guards {@code copies} and {@code bytes}. */
    private final ReentrantLock mapLock = new ReentrantLock();
    /** Access-ordered: the eldest entry is the least recently used. */
    private final LinkedHashMap<String, SealedSegment> copies = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<String, ReentrantLock> downloads = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong retired = new java.util.concurrent.atomic.AtomicLong();
    private long bytes;
    private volatile long misses;

    ColdCache(Path dir, long capacity, S3Objects objects, DecompressionContexts contexts) throws IOException {
        this.dir = dir;
        this.capacity = capacity;
        this.objects = objects;
        this.contexts = contexts;
        Files.createDirectories(dir.resolve(INCOMING));
        SegmentFiles.deleteMatching(dir.resolve(INCOMING), "");
        SegmentFiles.deleteMatching(dir, ""); // a cache: never trusted across restarts
    }

    /** The mapped copy of {@code segment}, downloaded and checked first when it is not cached. */
    SealedSegment open(ColdSegment segment) throws IOException {
        Optional<SealedSegment> cached = cached(segment.id());
        if (cached.isPresent()) {
            return cached.get();
        }
        ReentrantLock lock = downloads.computeIfAbsent(segment.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            cached = cached(segment.id());
            if (cached.isPresent()) {
                return cached.get();
            }
            misses++;
            Path copy = download(segment);
            return adopt(segment.id(), copy);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code file} (a verified copy of the object, e.g. the file that was just uploaded)
     * into the cache under its segment id; returns it mapped.
     */
    SealedSegment adopt(String segmentId, Path file) throws IOException {
        Path target = dir.resolve(segmentId + SegmentFiles.SEALED);
        if (!file.equals(target)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        SealedSegment mapped = SealedSegment.open(target, SegmentState.ARCHIVED, contexts);
        mapLock.lock();
        try {
            SealedSegment previous = copies.put(segmentId, mapped);
            if (previous != null) {
                bytes -= previous.sizeBytes();
                previous.close(); // its file was replaced by the rename above: nothing to delete
            }
            bytes += mapped.sizeBytes();
            shrink(segmentId);
        } finally {
            mapLock.unlock();
        }
        return mapped;
    }

    /** Drops the copy of {@code segmentId} (evicted, quarantined); its file goes after its last reader. */
    void drop(String segmentId) {
        mapLock.lock();
        try {
            SealedSegment copy = copies.remove(segmentId);
            if (copy != null) {
                bytes -= copy.sizeBytes();
                retire(copy);
            }
        } finally {
            mapLock.unlock();
        }
    }

    /** Bytes of the copies now mapped. */
    long bytes() {
        mapLock.lock();
        try {
            return bytes;
        } finally {
            mapLock.unlock();
        }
    }

    /** Downloads so far (cache misses). */
    long misses() {
        return misses;
    }

    private Optional<SealedSegment> cached(String segmentId) {
        mapLock.lock();
        try {
            SealedSegment copy = copies.get(segmentId);
            return copy == null || copy.isClosing() ? Optional.empty() : Optional.of(copy);
        } finally {
            mapLock.unlock();
        }
    }

    /** Downloads to {@code <id>.download} while hashing; a wrong SHA-256 is damage, not an outage. */
    private Path download(ColdSegment segment) throws IOException {
        Path partial = dir.resolve(INCOMING).resolve(segment.id() + SegmentFiles.SEALED);
        MessageDigest sha = Uploader.digest("SHA-256");
        boolean success = false;
        try (InputStream in = objects.open(segment.key());
                OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha)) {
            in.transferTo(out);
            success = true;
        } catch (IOException e) {
            throw e instanceof ObjectStoreUnavailableException
                    ? e
                    : new ObjectStoreUnavailableException(
                            "download of " + segment.key() + " broke off: " + e.getMessage(), e);
        } finally {
            if (!success) {
                Files.deleteIfExists(partial);
            }
        }
        String got = HexFormat.of().formatHex(sha.digest());
        if (!got.equals(segment.sha256())) {
            throw new CorruptSegmentException(
                    partial,
                    0,
                    "object " + segment.location() + " has SHA-256 " + got + ", uploaded as " + segment.sha256());
        }
        Path target = dir.resolve(segment.id() + SegmentFiles.SEALED);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(dir);
        return target;
    }

    /** Least recently used out until the copies fit, never {@code keep} (the one being read). Caller holds mapLock. */
    private void shrink(String keep) {
        Iterator<Map.Entry<String, SealedSegment>> eldest = copies.entrySet().iterator();
        while (bytes > capacity && eldest.hasNext()) {
            Map.Entry<String, SealedSegment> entry = eldest.next();
            if (entry.getKey().equals(keep)) {
                continue;
            }
            eldest.remove();
            bytes -= entry.getValue().sizeBytes();
            retire(entry.getValue());
        }
    }

    /**
     * Renames the file out of the way at once (a new download of the same segment may take its
     * name), unmaps once the last reader has left, then deletes it.
     */
    private void retire(SealedSegment copy) {
        Path file = copy.path().resolveSibling(copy.id() + "." + retired.incrementAndGet() + SegmentFiles.DELETED);
        try {
            Files.move(copy.path(), file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            file = copy.path(); // already gone or replaced: nothing of ours to delete by name
        }
        Path doomed = file;
        copy.close(() -> {
            if (doomed.equals(copy.path())) {
                return;
            }
            try {
                Files.deleteIfExists(doomed);
            } catch (IOException ignored) {
                // emptied at the next start
            }
        });
    }

    @Override
    public void close() {
        mapLock.lock();
        try {
            copies.values().forEach(SealedSegment::close);
            copies.clear();
            bytes = 0;
        } finally {
            mapLock.unlock();
        }
    }
}
