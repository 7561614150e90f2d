package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.ColdTarget;
import io.stupiddb.segments.lifecycle.DamagedRecords;
import io.stupiddb.segments.lifecycle.Quarantine;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cold tier (SPEC §10): this node's archived segments in an S3 bucket, one object per
 * segment under {@code <prefix>node-<N>/}, uploaded by {@link io.stupiddb.segments.lifecycle.Archiver}
 * through {@link ColdTarget} and read back with ranged GETs: each object's index (header, id
 * index, column index, footer) once into a bounded local cache ({@link ColdCache}), then one GET
 * per document for a get, blocks of records for a scan ({@link RemoteSegment}).
 *
 * <p>Invariants: the bucket listing is the truth about what is archived, except that a segment
 * still held locally wins (its upload may not have been journaled: it is uploaded again by a
 * later pass); an object is listed here only after it was verified (size, MD5 of every part,
 * SHA-256) and journaled; a segment leaves the index before its object is deleted; an object
 * whose index fails its checks is quarantined and never served again by this process; a record
 * that fails its checks is journaled as damaged (DOCUMENTS_DAMAGED) and never served.
 *
 * <p>Faults: an unreachable store fails uploads (counted, readiness shows it, retried with
 * exponential backoff from 1 s up to 5 min; the local segment stays) and the reads that need a
 * GET ({@link ArchiveUnavailableException}); local segments are still served.
 *
 * <p>Thread-safety: thread-safe. Reads take the current immutable {@link ColdIndex} without
 * locking; {@code indexLock} serialises the index changes (adopt, evict, quarantine).
 */
public final class ColdTier implements ColdTarget, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ColdTier.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /**
     * Gets by ranged GET after which a segment is hot: its records are filled into the local
     * cache, so that further gets cost no request (a GET costs a round trip to the bucket, a
     * local read microseconds: docs/BENCHMARKS.md, "Cold tier").
     */
    public static final int FILL_AFTER_GETS = 16;

    private final ColdSettings settings;
    private final int nodeId;
    private final S3Objects objects;
    private final Uploader uploader;
    private final ColdCache cache;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    private final InstantSource clock;
    private final UploadBackoff backoff;
    private final ColdDamage reports;
    /** Transfers the block a scan reads ahead (virtual threads: each one mostly waits on the network). */
    private final ExecutorService readAhead = Executors.newVirtualThreadPerTaskExecutor();
    /** Serialises changes of {@code index}. */
    private final ReentrantLock indexLock = new ReentrantLock();

    private volatile ColdIndex index = ColdIndex.empty();

    /** What the store lends the cold tier. */
    public record Store(
            Path dataDir,
            LifecycleJournal journal,
            Quarantine quarantine,
            StoreCounters counters,
            InstantSource clock,
            DecompressionContexts contexts,
            DamagedRecords damaged) {}

    private ColdTier(ColdSettings settings, int nodeId, S3Objects objects, ColdCache cache, Store store) {
        this.settings = settings;
        this.nodeId = nodeId;
        this.objects = objects;
        this.uploader = new Uploader(objects, settings.partSize());
        this.cache = cache;
        this.journal = store.journal();
        this.counters = store.counters();
        this.clock = store.clock();
        this.reports = new ColdDamage(store.quarantine(), store.journal(), store.counters(), store.damaged());
        this.backoff = new UploadBackoff(FIRST_BACKOFF, MAX_BACKOFF);
    }

    /**
     * Opens the cold tier of node {@code nodeId}: lists its prefix and HEADs each object, leaving
     * out those the journal says were evicted (their objects are deleted: an eviction that did not
     * finish). A node that lost its volume gets back every archived segment here. Then
     * {@link #preferLocal} once the local segments are known.
     *
     * @throws ObjectStoreUnavailableException when the bucket cannot be listed (start-up fails: retry)
     */
    public static ColdTier open(ColdSettings settings, int nodeId, S3Objects objects, Store store) throws IOException {
        ColdCache cache =
                new ColdCache(store.dataDir().resolve("cold-cache"), settings.cacheSize(), objects, store.contexts());
        ColdTier tier = new ColdTier(settings, nodeId, objects, cache, store);
        tier.index = new ColdIndex(BucketListing.read(settings, nodeId, objects, store.journal()));
        return tier;
    }

    /**
     * Leaves out the segments still held locally (start-up, once): their upload was not
     * journaled (a crash between upload and journal), so the local copy is the segment, and a
     * later archive pass uploads it again.
     */
    public void preferLocal(Set<String> localIds) {
        indexLock.lock();
        try {
            ColdIndex next = index;
            for (String id : localIds) {
                next = next.without(id);
            }
            index = next;
        } finally {
            indexLock.unlock();
        }
    }

    /** The largest segment number archived: new segments must be numbered after it. */
    public long highestSegmentNumber() {
        return index.segments().stream()
                .mapToLong(s -> io.stupiddb.segments.id.SegmentId.numberOf(s.id()))
                .max()
                .orElse(0);
    }

    // ------------------------------------------------------------------ uploads (ColdTarget)

    @Override
    public Optional<String> upload(SegmentInfo original, Path archiveCopy) {
        if (!backoff.mayTry(clock.millis())) {
            return Optional.empty();
        }
        String key = settings.key(nodeId, original.id());
        try {
            ColdSegment segment = describe(original, archiveCopy, key);
            uploader.upload(archiveCopy, key, segment.metadata());
            backoff.succeeded();
            return Optional.of(segment.location());
        } catch (IOException | RuntimeException e) {
            Duration wait = backoff.failed(clock.millis(), e.getMessage());
            LOG.log(
                    Level.WARNING,
                    "upload of segment {0} to {1} failed (the local copy stays; next try in {2} s): {3}",
                    original.id(),
                    settings.location(key),
                    wait.toSeconds(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void adopt(SegmentInfo original, String location, Path archiveCopy) throws IOException {
        ColdSegment segment = describe(original, archiveCopy, settings.key(nodeId, original.id()));
        indexLock.lock();
        try {
            index = index.with(segment);
        } finally {
            indexLock.unlock();
        }
        try {
            cache.adopt(segment, archiveCopy); // the object's index, from its local bytes: no GET
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not keep the index of " + original.id() + " in the cache", e);
        } finally {
            Files.deleteIfExists(archiveCopy); // taken over: the object is the segment now
        }
    }

    @Override
    public void discard(SegmentInfo original) {
        try {
            objects.delete(settings.key(nodeId, original.id()));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete the unreferenced object of " + original.id(), e);
        }
    }

    /** The facts stored with the object: the original's ranges, the copy's size, level and SHA-256. */
    private ColdSegment describe(SegmentInfo original, Path archiveCopy, String key) throws IOException {
        return ColdSegment.describing(original, archiveCopy, key, settings.location(key), clock.millis());
    }

    // ------------------------------------------------------------------ reads

    /** The archived segments, oldest first. Lock-free. */
    public List<SegmentInfo> infos() {
        return index.segments().stream().map(ColdSegment::info).toList();
    }

    /** The object location of an archived segment. */
    public Optional<String> location(String segmentId) {
        return index.get(segmentId).map(ColdSegment::location);
    }

    public boolean holds(String segmentId) {
        return index.get(segmentId).isPresent();
    }

    /** The largest archived document id, for the id floor after a lost volume. */
    public Optional<UUID> maxId() {
        return index.maxId();
    }

    /**
     * The document with this id if an archived segment holds it: the object's index (cached, or
     * fetched with ranged GETs and cached), then one ranged GET of its record.
     *
     * @throws ArchiveUnavailableException when that needs the object store and it does not answer
     * @throws CorruptRecordException when its record is damaged (journaled as DOCUMENTS_DAMAGED)
     * @throws CorruptSegmentException when the object's index is damaged (quarantined)
     */
    /**
     * Whether an archived object's id range holds {@code id}, so that {@link #get} may have to fetch
     * from the object store (its index or records) rather than answer from memory. In memory only.
     */
    public boolean mayHold(UUID id) {
        return index.holding(id).isPresent();
    }

    public Optional<StoredDocument> get(UUID id) {
        for (int attempt = 0; ; attempt++) {
            Optional<ColdSegment> segment = index.holding(id);
            if (segment.isEmpty()) {
                return Optional.empty();
            }
            try {
                RemoteSegment remote = cache.read(segment.get());
                Optional<StoredDocument> found = remote.get(id);
                if (remote.dueForFill(FILL_AFTER_GETS)) {
                    cache.fill(remote, settings.scanBlockSize(), readAhead);
                }
                return found;
            } catch (SegmentClosedException e) {
                if (attempt >= 3) { // dropped from the cache under us: fetch its index again
                    throw e;
                }
            } catch (CorruptRecordException e) {
                recordDamaged(segment.get().id(), e);
                throw e;
            } catch (CorruptSegmentException e) {
                quarantine(segment.get(), e);
                throw e;
            }
        }
    }

    /**
     * A cursor over one archived segment (empty when it is no longer archived here): its records
     * stream from the bucket in blocks ({@link ColdSettings#scanBlockSize()}), one read ahead. The
     * cursor holds the cached index until closed, so the cache cannot take it away mid-scan.
     *
     * @throws ArchiveUnavailableException when the index must be fetched and the store does not answer
     */
    public Optional<DocumentCursor> scan(String segmentId, ScanSpec spec) {
        Optional<ColdSegment> segment = index.get(segmentId);
        if (segment.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(cache.read(segment.get()).scan(spec, settings.scanBlockSize(), readAhead));
        } catch (CorruptSegmentException e) {
            quarantine(segment.get(), e);
            throw e;
        }
    }

    /** Takes a damaged archived segment out of service after a cursor found damage in it. */
    public void damaged(String segmentId, CorruptSegmentException cause) {
        index.get(segmentId).ifPresent(segment -> quarantine(segment, cause));
    }

    /**
     * A cursor met a damaged record of an archived segment: journals that document as damaged
     * (once; the rest of the segment stays readable). Never throws.
     */
    public void recordDamaged(String segmentId, CorruptRecordException damage) {
        if (index.get(segmentId).isPresent()) {
            reports.record(segmentId, damage);
        }
    }

    /**
     * Out of the index (never served again), its damaged index file moved to
     * {@code quarantine/}, journaled SEGMENT_QUARANTINED and counted. The object stays in the
     * bucket for the operator; a restart lists it again and the first read finds it damaged again.
     */
    private void quarantine(ColdSegment segment, CorruptSegmentException cause) {
        indexLock.lock();
        try {
            if (index.get(segment.id()).isEmpty()) {
                return;
            }
            index = index.without(segment.id());
        } finally {
            indexLock.unlock();
        }
        try {
            // The index file as fetched (header, indexes, footer; the records stay in the bucket), set aside
            // before the cache drops it: the cache then finds it gone and only unmaps.
            reports.quarantined(segment, cause);
        } finally {
            cache.drop(segment.id());
        }
    }

    // ------------------------------------------------------------------ retention

    /**
     * Evicts archived segments whose newest document is older than {@code now - retention}:
     * out of the index, object deleted, then SEGMENT_EVICTED journaled. A delete that fails leaves
     * the segment archived (and served) until the next pass.
     *
     * @return the evicted segment ids, oldest first
     */
    public List<String> enforceRetention(long now, Duration retention) {
        long horizon = now - retention.toMillis();
        List<String> evicted = new ArrayList<>();
        for (ColdSegment segment : index.segments()) {
            Long newest = segment.info().maxTimestamp();
            if (newest != null && newest < horizon) {
                try {
                    evict(segment.id(), EvictionReason.RETENTION);
                    evicted.add(segment.id());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "could not evict archived segment " + segment.id() + ": " + e.getMessage());
                }
            }
        }
        return evicted;
    }

    /**
     * Evicts one archived segment: object deleted, then journaled, then out of the index.
     *
     * @return false when it is not archived here
     */
    public boolean evict(String segmentId, EvictionReason reason) throws IOException {
        indexLock.lock();
        try {
            Optional<ColdSegment> segment = index.get(segmentId);
            if (segment.isEmpty()) {
                return false;
            }
            objects.delete(segment.get().key());
            SegmentInfo info = segment.get().info();
            journal.append(LifecycleEvent.Draft.evicted(
                    segmentId, reason, info.minTimestamp(), info.maxTimestamp(), info.documents()));
            index = index.without(segmentId);
            counters.evicted(reason);
        } finally {
            indexLock.unlock();
        }
        cache.drop(segmentId);
        return true;
    }

    // ------------------------------------------------------------------ health

    /** Uploads that failed since start-up ({@code segment_store_archive_failures_total}). */
    public long failures() {
        return backoff.failures();
    }

    /** Why uploads are failing now, for readiness; empty once one succeeds again. */
    public Optional<String> problem() {
        return backoff.problem();
    }

    /** Bytes of the local cache now in use. */
    public long cacheBytes() {
        return cache.bytes();
    }

    /** Index fetches (cache misses) since start-up. */
    public long downloads() {
        return cache.misses();
    }

    /** GET requests sent to the bucket since start-up (index fetches, records, scan blocks). */
    public long getRequests() {
        return objects.getRequests();
    }

    /** Whether the records of an archived segment are in the local cache now (a hot segment). */
    public boolean recordsCached(String segmentId) {
        return index.get(segmentId).isPresent() && cache.whole(segmentId);
    }

    /** Whether the index of an archived segment is in the local cache now. */
    public boolean indexCached(String segmentId) {
        return cache.holds(segmentId);
    }

    @Override
    public void close() {
        readAhead.shutdown();
        cache.close();
        objects.close();
    }
}
