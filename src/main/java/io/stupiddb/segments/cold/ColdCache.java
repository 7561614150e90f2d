package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.segment.SegmentFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The index files of archived segments read back from the bucket ({@link IndexFile}: header,
 * id index, column index and footer of each object, never its records), on the data volume
 * ({@code <data-dir>/cold-cache/}), at most {@code segments.archive.cache-size} bytes of them
 * counted as fetched, least recently used out first. Records are not cached, except those of hot
 * segments: a get fetches its one record, a scan streams blocks ({@link RemoteSegment}), and a
 * segment that served {@link ColdTier#FILL_AFTER_GETS} gets has its whole record area filled in
 * ({@link #fill}), in the background, when it takes at most half the cache.
 *
 * <p>Layout: {@code <id>.idx} (an index file), {@code incoming/<id>.idx} (one being fetched,
 * renamed into place once complete). The directory is emptied when the store opens.
 *
 * <p>Invariants: an entry leaves the map before its file is deleted, and the file goes only after
 * its last reader has left ({@link RemoteSegment#close(Runnable)}); the bytes of the entries never
 * exceed the cache size except while a single index larger than the whole cache is in use.
 *
 * <p>Thread-safety: thread-safe. {@code mapLock} guards the map and the byte count; fetches run
 * outside it, one per segment at a time ({@code fetches}), so a slow GET blocks only the readers
 * of that segment.
 */
final class ColdCache implements AutoCloseable {
    static final String SUFFIX = ".idx";
    private static final String INCOMING = "incoming";

    private final Path dir;
    private final long capacity;
    private final S3Objects objects;
    private final DecompressionContexts contexts;
    /** Guards {@code entries} and {@code bytes}. */
    private final ReentrantLock mapLock = new ReentrantLock();
    /** Access-ordered: the eldest entry is the least recently used. */
    private final LinkedHashMap<String, RemoteSegment> entries = new LinkedHashMap<>(16, 0.75f, true);

    private final Map<String, ReentrantLock> fetches = new ConcurrentHashMap<>();
    private final AtomicLong retired = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private long bytes;

    ColdCache(Path dir, long capacity, S3Objects objects, DecompressionContexts contexts) throws IOException {
        this.dir = dir;
        this.capacity = capacity;
        this.objects = objects;
        this.contexts = contexts;
        Files.createDirectories(dir.resolve(INCOMING));
        SegmentFiles.deleteMatching(dir.resolve(INCOMING), "");
        SegmentFiles.deleteMatching(dir, ""); // a cache: never trusted across restarts
    }

    /**
     * {@link #open}, with a failed fetch as the read's answer: {@link ArchiveUnavailableException}.
     *
     * @throws io.stupiddb.segments.format.CorruptSegmentException when the fetched index fails its checks
     */
    RemoteSegment read(ColdSegment segment) {
        try {
            return open(segment);
        } catch (ObjectStoreUnavailableException e) {
            throw new ArchiveUnavailableException(segment.id(), e);
        } catch (IOException e) {
            throw new ArchiveUnavailableException(segment.id(), new ObjectStoreUnavailableException(e.getMessage(), e));
        }
    }

    /** The index of {@code segment}, fetched with ranged GETs and checked first when it is not cached. */
    RemoteSegment open(ColdSegment segment) throws IOException {
        Optional<RemoteSegment> cached = cached(segment.id());
        if (cached.isPresent()) {
            return cached.get();
        }
        ReentrantLock lock = fetches.computeIfAbsent(segment.id(), id -> new ReentrantLock());
        lock.lock();
        try {
            cached = cached(segment.id());
            if (cached.isPresent()) {
                return cached.get();
            }
            misses.incrementAndGet();
            return install(segment, (from, to) -> objects.range(segment.key(), from, to));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the index of {@code segment} from {@code localCopy} (the file that was just uploaded,
     * byte for byte the object): no GET needed.
     */
    RemoteSegment adopt(ColdSegment segment, Path localCopy) throws IOException {
        return install(segment, IndexFile.of(localCopy));
    }

    /** Builds the index file from {@code source} in {@code incoming/}, renames it into place, maps and checks it. */
    private RemoteSegment install(ColdSegment segment, IndexFile.Source source) throws IOException {
        Path partial = dir.resolve(INCOMING).resolve(segment.id() + SUFFIX);
        IndexFile.Extent extent;
        boolean success = false;
        try {
            extent = IndexFile.write(source, segment.sizeBytes(), segment.info().documents(), partial);
            success = true;
        } finally {
            if (!success) {
                Files.deleteIfExists(partial);
            }
        }
        Path target = dir.resolve(segment.id() + SUFFIX);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(dir);
        // A check that fails here names the file: the cold tier quarantines it from there.
        RemoteSegment mapped = RemoteSegment.open(
                segment, target, contexts, (from, to) -> objects.range(segment.key(), from, to), extent);
        mapLock.lock();
        try {
            RemoteSegment previous = entries.put(segment.id(), mapped);
            if (previous != null) {
                bytes -= previous.cachedBytes();
                previous.close(); // its file was replaced by the rename above: nothing to delete
            }
            bytes += mapped.cachedBytes();
            shrink(segment.id());
        } finally {
            mapLock.unlock();
        }
        return mapped;
    }

    /**
     * Fills the records of a hot segment into its file in the background (on {@code executor}),
     * so that its reads need no GET; then counts them and makes room, least recently used out.
     * Not done for a segment larger than half the cache (it would push out everything else).
     */
    void fill(RemoteSegment remote, long blockSize, java.util.concurrent.Executor executor) {
        if (remote.cachedBytes() + remote.recordBytes() > capacity / 2) {
            return; // stays a ranged-GET segment: its fill flag stays set, so this is not asked again
        }
        try {
            executor.execute(() -> {
                try {
                    remote.fillRecords(blockSize);
                } catch (IOException | RuntimeException e) {
                    remote.fillFailed(); // the bucket went away or the entry was dropped: ranged GETs go on
                    return;
                }
                mapLock.lock();
                try {
                    if (entries.get(remote.id()) == remote && !remote.isClosing()) {
                        bytes -= remote.cachedBytes();
                        remote.filled();
                        bytes += remote.cachedBytes();
                        shrink(remote.id());
                    }
                } finally {
                    mapLock.unlock();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            remote.fillFailed(); // closing
        }
    }

    /** Drops the index of {@code segmentId} (evicted, quarantined); its file goes after its last reader. */
    void drop(String segmentId) {
        mapLock.lock();
        try {
            RemoteSegment entry = entries.remove(segmentId);
            if (entry != null) {
                bytes -= entry.cachedBytes();
                retire(entry);
            }
        } finally {
            mapLock.unlock();
        }
    }

    /** Bytes of the objects held now (as fetched; the files are sparse). */
    long bytes() {
        mapLock.lock();
        try {
            return bytes;
        } finally {
            mapLock.unlock();
        }
    }

    /** Index fetches so far (cache misses). */
    long misses() {
        return misses.get();
    }

    /** Whether the index of {@code segmentId} is cached now. */
    boolean holds(String segmentId) {
        return cached(segmentId).isPresent();
    }

    /** Whether the records of {@code segmentId} are filled in now. */
    boolean whole(String segmentId) {
        return cached(segmentId).map(RemoteSegment::isWhole).orElse(false);
    }

    private Optional<RemoteSegment> cached(String segmentId) {
        mapLock.lock();
        try {
            RemoteSegment entry = entries.get(segmentId);
            return entry == null || entry.isClosing() ? Optional.empty() : Optional.of(entry);
        } finally {
            mapLock.unlock();
        }
    }

    /** Least recently used out until the entries fit, never {@code keep} (the one being read). Caller holds mapLock. */
    private void shrink(String keep) {
        Iterator<Map.Entry<String, RemoteSegment>> eldest = entries.entrySet().iterator();
        while (bytes > capacity && eldest.hasNext()) {
            Map.Entry<String, RemoteSegment> entry = eldest.next();
            if (entry.getKey().equals(keep)) {
                continue;
            }
            eldest.remove();
            bytes -= entry.getValue().cachedBytes();
            retire(entry.getValue());
        }
    }

    /**
     * Renames the file out of the way at once (a new fetch of the same segment may take its
     * name), unmaps once the last reader has left, then deletes it.
     */
    private void retire(RemoteSegment entry) {
        Path file = entry.file().resolveSibling(entry.id() + "." + retired.incrementAndGet() + SegmentFiles.DELETED);
        try {
            Files.move(entry.file(), file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            file = entry.file(); // already gone or replaced: nothing of ours to delete by name
        }
        Path doomed = file;
        entry.close(() -> {
            if (doomed.equals(entry.file())) {
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
            entries.values().forEach(RemoteSegment::close);
            entries.clear();
            bytes = 0;
        } finally {
            mapLock.unlock();
        }
    }
}
