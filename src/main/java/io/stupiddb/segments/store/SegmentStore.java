package io.stupiddb.segments.store;

import io.stupiddb.segments.cold.ColdTier;
import io.stupiddb.segments.cold.S3Objects;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.id.DocumentIdGenerator;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.ActiveSegmentConflictException;
import io.stupiddb.segments.lifecycle.Archiver;
import io.stupiddb.segments.lifecycle.Compactor;
import io.stupiddb.segments.lifecycle.DamagedRecords;
import io.stupiddb.segments.lifecycle.DictionaryTrainer;
import io.stupiddb.segments.lifecycle.Evictor;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.lifecycle.Quarantine;
import io.stupiddb.segments.lifecycle.RotationPolicy;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.Rotator;
import io.stupiddb.segments.lifecycle.Salvager;
import io.stupiddb.segments.lifecycle.Scrubber;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.ScanWorkers;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentList;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One data directory of segments ({@link DataDirectory}): the single writer, the ordered list of
 * sealed and archived segments, the lifecycle journal. A facade: writes and reads are here; the
 * lifecycle is done by {@link Rotator}, {@link Evictor}, {@link Archiver} and {@link Quarantine},
 * start-up recovery by {@link StoreLoader}.
 *
 * <p>Invariants: document ids strictly increase across the whole store (also across restarts),
 * so segment order is id order and a scan cursor is just "the last id returned"; a lifecycle
 * event is durable in the journal before its transition is acknowledged; a segment leaves the
 * segment list before its file is renamed, and its file goes only after its last reader has left.
 *
 * <p>Thread-safety: {@link #write} and every lifecycle operation serialise on the writer lock
 * ({@link LiveSegments}: one writer); the fsync wait of {@code fsync=always} happens outside it,
 * so concurrent writers share fsyncs. Reads ({@link #get}, {@link #scan}, {@link #segments}) are
 * lock-free: they take the current immutable {@link SegmentList} and hold a reference on each
 * segment they read.
 */
public final class SegmentStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SegmentStore.class.getName());

    private final StoreConfig config;
    private final InstantSource clock;
    private final DataDirectory dir;
    private final LifecycleJournal journal;
    private final StoreCounters counters;
    /** Native zstd contexts shared by every segment's reads (bounded; none per segment). */
    private final DecompressionContexts contexts;
    /** Shared with the other retention classes' stores; closed by this store only when it owns them. */
    private final SharedResources shared;

    private final boolean ownsShared;

    private final LiveSegments live = new LiveSegments();
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("segment-store-background").factory());
    private final DictionaryTrainer dictionaries = new DictionaryTrainer();
    private final ScanWorkers scanWorkers;
    private final Compactor compactor;
    private final Quarantine quarantine;
    private final DamagedRecords damaged;
    private final Scrubber scrubber;
    private final Salvager salvager;
    private final Rotator rotator;
    private final Evictor evictor;
    private final Archiver archiver;
    private final StoreWriter writer;
    private final FreeDisk freeDisk;
    /** The object-store archive (SPEC §10) when {@code segments.archive.target=s3}. */
    private final Optional<ColdTier> cold;
    /** The largest document id recovery found (files and bucket); empty for an empty store. */
    private Optional<UUID> recoveredFloor = Optional.empty();
    /** Deletes by filter (SPEC §11); set once by recovery, before the store is handed out. */
    private StoreDeletes deletes;
    /** Gets by id; set once by recovery (it hides the deleted ids), before the store is handed out. */
    private StoreReader reader;

    private SegmentStore(
            StoreConfig config, InstantSource clock, DataDirectory dir, SharedResources shared, boolean ownsShared)
            throws IOException {
        this.config = config;
        this.clock = clock;
        this.dir = dir;
        this.shared = shared;
        this.ownsShared = ownsShared;
        this.journal = shared.journal();
        this.counters = shared.counters();
        this.contexts = shared.contexts();
        this.scanWorkers = shared.scanWorkers();
        this.quarantine = new Quarantine(dir.quarantine(), live, journal, counters, clock);
        this.freeDisk = new FreeDisk(dir.root(), config.minFreeDisk(), this::compactionReserve);
        this.damaged = new DamagedRecords(journal, counters, quarantine);
        this.compactor = new Compactor(
                live,
                dictionaries,
                new Compactor.Settings(
                        dir.compactionTmp(),
                        config.compression(),
                        config.compressionLevel(),
                        config.minFreeDisk(),
                        config.columns()),
                clock,
                contexts,
                this::usableDisk,
                quarantine,
                damaged);
        this.scrubber = new Scrubber(live, damaged, quarantine, clock);
        this.salvager = new Salvager(live, journal, quarantine, damaged, dir.root(), contexts, clock);
        this.rotator = new Rotator(
                live,
                journal,
                counters,
                compactor,
                new Rotator.Settings(
                        dir.root(),
                        config.nodeId(),
                        new RotationPolicy(config.maxSegmentAge(), config.maxSegmentSize()),
                        config.fsync()),
                clock,
                contexts,
                shared.numbers());
        this.evictor = new Evictor(
                live,
                journal,
                counters,
                new Evictor.Settings(
                        config.retention(), config.maxTotalSize(), config.maxClockSkew(), shared.journalRetention()));
        this.cold = config.coldTier().isEmpty()
                ? Optional.empty()
                : Optional.of(ColdTier.open(
                        config.coldTier().get(),
                        config.nodeId(),
                        S3Objects.connect(config.coldTier().get()),
                        new ColdTier.Store(dir.root(), journal, quarantine, counters, clock, contexts, damaged)));
        this.archiver = new Archiver(
                live,
                journal,
                new Archiver.Settings(
                        config.archiveAfter(),
                        dir.archive(),
                        dir.archiveTmp(),
                        config.archiveCompressionLevel(),
                        config.columns()),
                clock,
                contexts,
                cold.map(c -> c));
        this.writer = new StoreWriter(
                live,
                rotator,
                new BatchValidator(config.maxDocumentSize(), config.retention(), config.maxClockSkew()),
                freeDisk,
                counters,
                clock);
    }

    private long compactionReserve() {
        return compactor == null ? 0 : compactor.reservedBytes();
    }

    /** Usable bytes for the compactor's check; 0 when they cannot be read (the rewrite waits). */
    private long usableDisk() {
        try {
            return freeDisk.bytes();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Opens (creating if needed) and recovers the store in {@code config.dataDir()}, in passes:
     * <ol>
     *   <li>create the directories and take the exclusive lock;</li>
     *   <li>delete leftovers of interrupted deletes and archives;</li>
     *   <li>open the journal;</li>
     *   <li>and on: {@link StoreLoader}.</li>
     * </ol>
     *
     * @throws StoreLockedException when another store holds the directory
     */
    public static SegmentStore open(StoreConfig config, InstantSource clock) throws IOException {
        return open(config, clock, config.retention());
    }

    /**
     * {@link #open(StoreConfig, InstantSource)} keeping journal events for {@code journalRetention}
     * (the longest retention of the classes that will share this store's journal, {@link #openSharing}).
     */
    static SegmentStore open(StoreConfig config, InstantSource clock, java.time.Duration journalRetention)
            throws IOException {
        DataDirectory dir = DataDirectory.open(config.dataDir(), config.archivePath());
        boolean success = false;
        SharedResources shared = null;
        try {
            dir.deleteLeftovers();
            shared = SharedResources.create(new LifecycleJournal(dir.journal(), clock), journalRetention);
            SegmentStore store = new SegmentStore(config, clock, dir, shared, true);
            store.recover();
            success = true;
            return store;
        } finally {
            if (!success) {
                if (shared != null) {
                    shared.close();
                }
                dir.close();
            }
        }
    }

    /**
     * Opens the store of a retention class in {@code config.dataDir()} (a subdirectory of
     * {@code owner}'s), sharing {@code owner}'s journal, segment numbers, counters, zstd contexts
     * and scan threads ({@link SharedResources}). Close it before {@code owner}.
     */
    static SegmentStore openSharing(StoreConfig config, InstantSource clock, SegmentStore owner) throws IOException {
        DataDirectory dir = DataDirectory.open(config.dataDir(), config.archivePath());
        boolean success = false;
        try {
            dir.deleteLeftovers();
            SegmentStore store = new SegmentStore(config, clock, dir, owner.shared, false);
            store.recover();
            success = true;
            return store;
        } finally {
            if (!success) {
                dir.close();
            }
        }
    }

    /** The largest document id recovery found; empty for an empty store. */
    Optional<UUID> recoveredFloor() {
        return recoveredFloor;
    }

    /**
     * Makes this store draw ids from {@code shared}, the generator of every retention class's store
     * (its floor the largest id any of them holds), so ids increase across all of them. Before the
     * store is handed out.
     */
    void shareIds(DocumentIdGenerator shared) {
        writer.useIds(shared);
    }

    private void recover() throws IOException {
        StoreLoader.Loaded loaded = new StoreLoader(dir, journal, quarantine, config, clock, contexts).load();
        quarantine.rememberFilesOnDisk();
        damaged.resume();
        live.writerLock().lock();
        try {
            live.publish(loaded.segments());
        } finally {
            live.writerLock().unlock();
        }
        loaded.dictionary().ifPresent(d -> dictionaries.resume(d.bytes(), d.trainedAtMillis()));
        // After a lost volume only the bucket knows the newest segment number and id: never reuse either.
        cold.ifPresent(c -> c.preferLocal(loaded.segments().sealed().stream()
                .map(SealedSegment::id)
                .collect(java.util.stream.Collectors.toSet())));
        rotator.resumeAfter(Math.max(
                loaded.segmentNumber(), cold.map(ColdTier::highestSegmentNumber).orElse(0L)));
        compactor.offerAll(); // sealed v1 files a crash or a shutdown left uncompressed
        UUID floor = loaded.idFloor().orElse(null);
        Optional<UUID> coldFloor = cold.flatMap(ColdTier::maxId);
        if (coldFloor.isPresent() && (floor == null || DocumentIds.compare(coldFloor.get(), floor) > 0)) {
            floor = coldFloor.get();
        }
        recoveredFloor = Optional.ofNullable(floor);
        writer.useIds(new DocumentIdGenerator(config.nodeId(), clock, floor));
        deletes = StoreDeletes.open(dir, loaded.segments(), live, journal, evictor, contexts, config, this::scan);
        reader = new StoreReader(live, quarantine, damaged, cold, deletes);
        if (config.fsync() == DurabilityMode.INTERVAL) {
            long period = config.fsyncInterval().toMillis();
            background.scheduleAtFixedRate(writer::syncActive, period, period, TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * Validates the whole batch (SPEC §1: size, timestamp window), then writes it with fresh ids
     * into the active segment and returns once it is as durable as {@code segments.fsync}
     * promises. All or nothing: a rejected document means nothing of the batch was written.
     *
     * @throws DocumentRejectedException naming the first bad document
     * @throws InsufficientStorageException when free disk is below {@code segments.min-free-disk} or the disk is full
     */
    public List<WrittenDocument> write(List<DocumentToWrite> documents) throws IOException {
        return writer.write(documents);
    }

    /** The write path (the retention classes' {@link ClassedWriter} appends through it). */
    StoreWriter writer() {
        return writer;
    }

    /** Usable bytes in the data directory's file system. */
    public long freeDiskBytes() throws IOException {
        return freeDisk.bytes();
    }

    /** Whether writes are currently refused for lack of disk (for readiness). */
    public boolean belowMinFreeDisk() {
        return freeDisk.belowMinimum();
    }

    // ------------------------------------------------------------------ reads

    /**
     * The document with this id, if the store holds it. Lock-free ({@link StoreReader#get}).
     *
     * @throws DocumentDamagedException when its stored copy is damaged (its record, or its
     *     quarantined segment): never an empty answer for a document that was written
     */
    public Optional<StoredDocument> get(UUID id) throws IOException {
        return reader.get(id);
    }

    /** Gets by id (the retention classes' {@link ClassedStore} asks every class's in turn). */
    StoreReader reader() {
        return reader;
    }

    /**
     * A cursor over all documents matching {@code spec}, segment by segment, oldest first, in id
     * order; segments outside the time range or before {@code spec.afterId()} are skipped
     * without being read. Only one segment is open at a time. Close it.
     */
    public DocumentCursor scan(ScanSpec spec) {
        return scan(spec, false);
    }

    /**
     * {@link #scan(ScanSpec)}; with {@code partial}, archived segments that cannot be read now
     * (object store down, not cached) are left out instead of failing the scan
     * ({@link io.stupiddb.segments.cold.ArchiveUnavailableException}).
     */
    public DocumentCursor scan(ScanSpec spec, boolean partial) {
        return hiding(walk(spec, partial));
    }

    /** The segment-by-segment walk of a scan, which knows what a partial scan left out ({@link StoreCursor#skipped}). */
    StoreCursor walk(ScanSpec spec, boolean partial) {
        return new StoreCursor(live, quarantine, damaged, spec, cold, partial, scanWorkers);
    }

    /** {@code walk} without the documents deleted by filter. */
    DocumentCursor hiding(StoreCursor walk) {
        return deletes.hiding(walk);
    }

    /** Up to {@code limit} documents of a scan, and the id to continue after (none at the end). */
    public ScanPage page(ScanSpec spec, int limit) {
        return page(spec, limit, false);
    }

    /**
     * {@link #page(ScanSpec, int)}, leaving out unreadable archived segments when {@code partial}
     * (named in {@link ScanPage#skipped()}).
     */
    public ScanPage page(ScanSpec spec, int limit, boolean partial) {
        StoreCursor walk = walk(spec, partial);
        return ScanPage.read(hiding(walk), limit, walk::skipped);
    }

    // ------------------------------------------------------------------ deletes (SPEC §11)

    /**
     * Deletes every document {@code spec} matches: hidden from gets and scans, durably, and
     * journaled (DOCUMENTS_DELETED) before this returns; their space comes back when the
     * background reclaimer rewrites the affected segments. Writes and reads go on meanwhile.
     */
    public DeleteResult delete(ScanSpec spec) throws IOException {
        live.ensureOpen();
        return deletes.delete(spec);
    }

    /** Rewrites now every sealed or archived segment holding deleted documents; returns their ids. */
    public List<String> reclaimDeleted() throws IOException {
        live.ensureOpen();
        return deletes.reclaim();
    }

    /** Where deletes stand: pending documents per segment, the segment being rewritten, totals. */
    public DeleteProgress deleteProgress() {
        return deletes.progress();
    }

    // ------------------------------------------------------------------ segments and lifecycle

    /** All segments, oldest first (archived ones in the bucket included); the active one last. */
    public List<SegmentInfo> segments() {
        List<SegmentInfo> local = live.current().infos();
        if (cold.isEmpty()) {
            return local;
        }
        List<SegmentInfo> all = new ArrayList<>(cold.get().infos());
        all.addAll(local);
        all.sort(java.util.Comparator.comparing((SegmentInfo s) -> s.state() == SegmentState.ACTIVE)
                .thenComparing(SegmentInfo::id));
        return all;
    }

    /** Where an archived segment is, for one in an object store ({@code s3://bucket/key}). */
    public Optional<String> location(String segmentId) {
        return cold.flatMap(c -> c.location(segmentId));
    }

    /** The object-store archive, when {@code segments.archive.target=s3} (metrics, readiness). */
    public Optional<ColdTier> coldTier() {
        return cold;
    }

    public Optional<SegmentInfo> segment(String segmentId) {
        return segments().stream().filter(s -> s.id().equals(segmentId)).findFirst();
    }

    /** Seals the active segment if a rotation limit is reached (the scheduler's job; also checked on write). */
    public Optional<SegmentInfo> rotateIfDue() throws IOException {
        return underWriterLock(() -> rotator.rotateIfDue(clock.millis()));
    }

    /**
     * Seals the active segment now: the next write opens a new one. Empty when there is nothing
     * to seal. The SEGMENT_SEALED event is durable before this returns.
     */
    public Optional<SegmentInfo> rotate(RotationReason reason) throws IOException {
        return underWriterLock(() -> rotator.rotate(reason));
    }

    /**
     * Runs retention: evicts segments beyond {@code segments.retention}, then the oldest ones
     * while the store is larger than {@code segments.max-total-size}, and trims the journal.
     *
     * @return the evicted segment ids, oldest first
     */
    public List<String> enforceRetention() throws IOException {
        List<String> evicted = new ArrayList<>(underWriterLock(() -> evictor.enforceRetention(clock.millis())));
        // Archived objects: outside the writer lock (network calls); only the time retention applies to them.
        cold.ifPresent(c -> evicted.addAll(c.enforceRetention(clock.millis(), config.retention())));
        compactor.offerAll(); // retries compactions a full disk or an error postponed
        return evicted;
    }

    /** The background compaction of sealed segments into format v2 (status, and waiting for it). */
    public Compactor compaction() {
        return compactor;
    }

    /** What the next retention pass would evict, judged now ({@link Evictor#due}); read-only. */
    public RetentionOutlook retentionOutlook() {
        long now = clock.millis();
        return new RetentionOutlook(now, now - config.retention().toMillis(), evictor.due(now));
    }

    /**
     * @param now     when it was judged (epoch ms)
     * @param horizon now − retention: segments whose newest timestamp is older go at the next pass
     * @param due     what the next pass evicts, in order
     */
    public record RetentionOutlook(long now, long horizon, List<Evictor.Due> due) {}

    /**
     * Evicts one sealed or archived segment now (reason MANUAL).
     *
     * @throws NoSuchSegmentException when there is no such segment
     * @throws ActiveSegmentConflictException for the active segment
     */
    public void evict(String segmentId) throws IOException {
        if (cold.isPresent() && cold.get().evict(segmentId, EvictionReason.MANUAL)) {
            return;
        }
        underWriterLock(() -> {
            evictor.evict(segmentId, EvictionReason.MANUAL);
            return null;
        });
    }

    /**
     * Archives every sealed segment older than {@code segments.archive-after} (by sealing time).
     *
     * @return the archived segment ids
     */
    public List<String> archiveDue() throws IOException {
        return archiver.archiveDue();
    }

    /** Archives one sealed segment; false when it is gone or already archived. See {@link Archiver}. */
    public boolean archive(String segmentId) throws IOException {
        return archiver.archive(segmentId);
    }

    /** Files set aside since start-up, with the reason (readiness shows them). */
    public List<String> quarantined() {
        return quarantine.list();
    }

    /** Documents whose stored copy is known to be damaged, per segment in service (see {@link DamagedRecords}). */
    public DamagedRecords damagedRecords() {
        return damaged;
    }

    /**
     * Rewrites a damaged or quarantined segment from its intact records and puts it back into
     * service under its id ({@link Salvager}).
     */
    public Salvager.Salvaged salvage(String segmentId) throws IOException {
        return salvager.salvage(segmentId);
    }

    /** Background verification of every sealed and archived segment ({@link Scrubber#pass}). */
    public Scrubber scrubber() {
        return scrubber;
    }

    public StoreCounters counters() {
        return counters;
    }

    public StoreConfig config() {
        return config;
    }

    /** The lifecycle journal (events, listeners). */
    public LifecycleJournal journal() {
        return journal;
    }

    /** A lifecycle step that must hold the writer lock. */
    private interface LockedStep<T> {
        T run() throws IOException;
    }

    private <T> T underWriterLock(LockedStep<T> step) throws IOException {
        live.writerLock().lock();
        try {
            live.ensureOpen();
            return step.run();
        } finally {
            live.writerLock().unlock();
        }
    }

    // ------------------------------------------------------------------ durability and shutdown

    /**
     * Stops taking writes, seals the active segment (an empty one is deleted), waits for the
     * background work, closes every segment and the journal, releases the directory lock.
     */
    @Override
    public void close() throws IOException {
        compactor.close(); // before the writer lock: a compaction waiting for it must not be waited for under it
        live.writerLock().lock();
        try {
            if (live.isClosed()) {
                return;
            }
            Optional<ActiveSegment> active = live.current().active();
            if (active.isPresent()) {
                if (active.get().documents() > 0) {
                    rotator.rotate(RotationReason.SHUTDOWN);
                } else {
                    active.get().close();
                    Files.deleteIfExists(active.get().path());
                    live.publish(live.current().withoutActive());
                }
            }
            live.markClosed();
        } finally {
            live.writerLock().unlock();
        }
        deletes.close();
        background.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SealedSegment segment : live.current().sealed()) {
            segment.close();
        }
        cold.ifPresent(ColdTier::close);
        if (ownsShared) {
            shared.close();
        }
        dir.close();
    }
}
