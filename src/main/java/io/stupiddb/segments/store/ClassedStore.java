package io.stupiddb.segments.store;

import io.stupiddb.segments.cold.ColdTier;
import io.stupiddb.segments.id.DocumentIdGenerator;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.Compactor;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.Salvager;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.StoredDocument;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The data directory a service serves: the default store ({@link SegmentStore} in the directory
 * itself) and one store per retention class (SPEC §12) in {@code classes/<name>}, each with its own
 * segments, retention and size cap, so retention stays whole-segment deletion. A write goes to the
 * store of the class its documents name ({@link RetentionClasses}); gets, scans, deletes and the
 * segment list span every class; scans merge the classes in id order.
 *
 * <p>Invariants: the stores share one id generator, so document ids increase across all of them
 * and a merged scan is in the order one store would give; they share the journal (one event
 * sequence; it keeps events for the longest retention) and the segment numbers, so a segment id
 * names one segment of one class. A class directory whose class is no longer configured stays in
 * service under {@code segments.retention} (no size cap): its documents are read and age out, new
 * documents cannot name it (422).
 *
 * <p>Thread-safety: as {@link SegmentStore}; each class's store has its own writer lock. The set
 * of stores is fixed when opened.
 */
public final class ClassedStore implements AutoCloseable {
    private final SegmentStore defaultStore;
    /** Each class's store, configured classes first (in configuration order), then left-over ones. */
    private final Map<String, SegmentStore> classes;
    /** Every store by class name, {@link RetentionClass#DEFAULT} first, then as {@link #classes}. */
    private final Map<String, SegmentStore> byClass;
    /** The default store then the classes', in that order ({@link #byClass}'s values). */
    private final List<SegmentStore> all;

    private final StoreConfig config;
    /** Routes and writes batches across the classes; empty without classes (the default store writes alone). */
    private final Optional<ClassedWriter> writer;

    private ClassedStore(
            StoreConfig config,
            InstantSource clock,
            SegmentStore defaultStore,
            Map<String, SegmentStore> classes,
            DocumentIdGenerator ids) {
        this.config = config;
        this.defaultStore = defaultStore;
        this.classes = classes;
        Map<String, SegmentStore> stores = new LinkedHashMap<>();
        stores.put(RetentionClass.DEFAULT, defaultStore);
        stores.putAll(classes);
        this.byClass = Collections.unmodifiableMap(stores);
        this.all = List.copyOf(stores.values());
        this.writer = classes.isEmpty()
                ? Optional.empty()
                : Optional.of(new ClassedWriter(config.retentionClasses(), defaultStore, classes, all, ids, clock));
    }

    /**
     * Opens the default store in {@code config.dataDir()} and one store per configured class, and
     * per class directory left from an earlier configuration; recovers each; shares one id
     * generator whose floor is the largest id any of them holds.
     */
    public static ClassedStore open(StoreConfig config, InstantSource clock) throws IOException {
        Map<String, StoreConfig> classConfigs = ClassDirectories.classConfigs(config);
        Duration journalRetention = config.retention();
        for (StoreConfig c : classConfigs.values()) {
            journalRetention = c.retention().compareTo(journalRetention) > 0 ? c.retention() : journalRetention;
        }
        SegmentStore defaultStore =
                SegmentStore.open(ClassDirectories.defaultConfig(config, classConfigs.size()), clock, journalRetention);
        Map<String, SegmentStore> opened = new LinkedHashMap<>();
        boolean success = false;
        try {
            for (Map.Entry<String, StoreConfig> c : classConfigs.entrySet()) {
                opened.put(c.getKey(), SegmentStore.openSharing(c.getValue(), clock, defaultStore));
            }
            DocumentIdGenerator ids = opened.isEmpty() ? null : shareIds(config, clock, defaultStore, opened.values());
            success = true;
            return new ClassedStore(config, clock, defaultStore, opened, ids);
        } finally {
            if (!success) {
                for (SegmentStore s : opened.values()) {
                    s.close();
                }
                defaultStore.close();
            }
        }
    }

    private static DocumentIdGenerator shareIds(
            StoreConfig config, InstantSource clock, SegmentStore defaultStore, Iterable<SegmentStore> classStores) {
        UUID floor = defaultStore.recoveredFloor().orElse(null);
        for (SegmentStore s : classStores) {
            UUID f = s.recoveredFloor().orElse(null);
            if (f != null && (floor == null || DocumentIds.compare(f, floor) > 0)) {
                floor = f;
            }
        }
        DocumentIdGenerator ids = new DocumentIdGenerator(config.nodeId(), clock, floor);
        defaultStore.shareIds(ids);
        classStores.forEach(s -> s.shareIds(ids));
        return ids;
    }

    // ------------------------------------------------------------------ writes

    /**
     * Writes a batch, each document into its class's store ({@link SegmentStore#write}): see
     * {@link ClassedWriter#write} for the order of ids and the checks made before anything is written.
     *
     * @throws DocumentRejectedException naming the first bad document (an unknown class: 422)
     */
    public List<WrittenDocument> write(List<DocumentToWrite> documents) throws IOException {
        return writer.isEmpty() ? defaultStore.write(documents) : writer.get().write(documents);
    }

    /** Usable bytes in the data directory's file system. */
    public long freeDiskBytes() throws IOException {
        return defaultStore.freeDiskBytes();
    }

    /** Whether writes are currently refused for lack of disk (for readiness). */
    public boolean belowMinFreeDisk() {
        return defaultStore.belowMinFreeDisk();
    }

    // ------------------------------------------------------------------ reads

    /**
     * The document with this id, from whichever class holds it. Only when no class holds it is the
     * damage each class knows of consulted ({@link StoreReader#throwIfKnownLost}), so an id in the
     * range of one class's quarantined segment does not hide a copy another class holds intact.
     *
     * @throws DocumentDamagedException when the class holding it finds it damaged, or no class holds
     *     it and one knows it lost
     */
    public Optional<StoredDocument> get(UUID id) throws IOException {
        for (SegmentStore store : all) {
            Optional<StoredDocument> found = store.reader().find(id);
            if (found.isPresent()) {
                return found;
            }
        }
        for (SegmentStore store : all) {
            store.reader().throwIfKnownLost(id);
        }
        return Optional.empty();
    }

    /**
     * Whether {@link #get} of {@code id} may wait on the object store (an archived object of some
     * class may hold it); otherwise a get reads only local files and memory, which lets the API
     * answer it on the I/O thread. In memory, lock-free.
     */
    public boolean getMayFetchRemotely(UUID id) {
        for (SegmentStore store : all) {
            if (store.reader().mayFetchRemotely(id)) {
                return true;
            }
        }
        return false;
    }

    /** Every class's documents matching {@code spec}, in id order ({@link SegmentStore#scan}). */
    public DocumentCursor scan(ScanSpec spec) {
        return scan(spec, false);
    }

    /** {@link #scan(ScanSpec)}, leaving out unreadable archived segments when {@code partial}. */
    public DocumentCursor scan(ScanSpec spec, boolean partial) {
        return merged(spec, partial, new ArrayList<>());
    }

    /**
     * Each class's scan (deleted documents hidden), merged in id order; each class's walk is added
     * to {@code walks}, which know what a partial scan left out.
     */
    private DocumentCursor merged(ScanSpec spec, boolean partial, List<StoreCursor> walks) {
        List<DocumentCursor> cursors = new ArrayList<>(all.size());
        try {
            for (SegmentStore store : all) {
                StoreCursor walk = store.walk(spec, partial);
                walks.add(walk);
                cursors.add(store.hiding(walk));
            }
        } catch (RuntimeException e) {
            cursors.forEach(DocumentCursor::close);
            throw e;
        }
        return cursors.size() == 1 ? cursors.getFirst() : new MergedCursor(cursors);
    }

    /** Up to {@code limit} documents of a scan, and the id to continue after (none at the end). */
    public ScanPage page(ScanSpec spec, int limit) {
        return page(spec, limit, false);
    }

    /**
     * {@link #page(ScanSpec, int)}, leaving out unreadable archived segments when {@code partial}
     * (every class's, named in {@link ScanPage#skipped()}).
     */
    public ScanPage page(ScanSpec spec, int limit, boolean partial) {
        List<StoreCursor> walks = new ArrayList<>(all.size());
        DocumentCursor cursor = merged(spec, partial, walks);
        return ScanPage.read(
                cursor,
                limit,
                () -> walks.stream().flatMap(w -> w.skipped().stream()).toList());
    }

    // ------------------------------------------------------------------ deletes (SPEC §11)

    /**
     * Deletes the matching documents of every class ({@link SegmentStore#delete}), class by class.
     * Deletes are idempotent: one that failed part-way is completed by repeating it.
     */
    public DeleteResult delete(ScanSpec spec) throws IOException {
        long deleted = 0;
        List<DeleteResult.SegmentDeletion> segments = new ArrayList<>();
        for (SegmentStore store : all) {
            DeleteResult result = store.delete(spec);
            deleted += result.deleted();
            segments.addAll(result.segments());
        }
        segments.sort(Comparator.comparing(DeleteResult.SegmentDeletion::segment));
        return new DeleteResult(deleted, segments);
    }

    /** Rewrites now every segment holding deleted documents, in every class; returns their ids. */
    public List<String> reclaimDeleted() throws IOException {
        List<String> rewritten = new ArrayList<>();
        for (SegmentStore store : all) {
            rewritten.addAll(store.reclaimDeleted());
        }
        return rewritten;
    }

    /** Where deletes stand over every class. */
    public DeleteProgress deleteProgress() {
        Map<String, Integer> pending = new HashMap<>();
        Optional<String> rewriting = Optional.empty();
        long deleted = 0;
        long rewrites = 0;
        long reclaimed = 0;
        for (SegmentStore store : all) {
            DeleteProgress p = store.deleteProgress();
            pending.putAll(p.pending());
            rewriting = rewriting.or(p::rewriting);
            deleted += p.deletedTotal();
            rewrites += p.rewrites();
            reclaimed += p.reclaimedDocuments();
        }
        return new DeleteProgress(pending, rewriting, deleted, rewrites, reclaimed);
    }

    // ------------------------------------------------------------------ segments and lifecycle

    /** A segment and the retention class whose store holds it ({@link RetentionClass#DEFAULT} for the default one). */
    public record ClassedSegment(String retentionClass, SegmentInfo info) {}

    /** Every class's segments, oldest first; active ones (one per class writing) last. */
    public List<ClassedSegment> classedSegments() {
        List<ClassedSegment> segments = new ArrayList<>();
        byClass.forEach((name, store) -> store.segments().forEach(s -> segments.add(new ClassedSegment(name, s))));
        if (!classes.isEmpty()) {
            segments.sort(Comparator.comparing((ClassedSegment s) -> s.info().state() == SegmentState.ACTIVE)
                    .thenComparing(s -> s.info().id()));
        }
        return segments;
    }

    /** Every class's segments, oldest first; active ones last. */
    public List<SegmentInfo> segments() {
        return classedSegments().stream().map(ClassedSegment::info).toList();
    }

    public Optional<SegmentInfo> segment(String segmentId) {
        return holding(segmentId).flatMap(s -> s.segment(segmentId));
    }

    /** The retention class of a segment of this node. */
    public Optional<String> retentionClassOf(String segmentId) {
        return byClass.entrySet().stream()
                .filter(c -> c.getValue().segment(segmentId).isPresent())
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private Optional<SegmentStore> holding(String segmentId) {
        return all.stream().filter(s -> s.segment(segmentId).isPresent()).findFirst();
    }

    private SegmentStore holdingOrThrow(String segmentId) {
        return holding(segmentId).orElseThrow(() -> new NoSuchSegmentException(segmentId));
    }

    /** Where an archived segment is, for one in an object store ({@code s3://bucket/key}). */
    public Optional<String> location(String segmentId) {
        for (SegmentStore store : all) {
            Optional<String> location = store.location(segmentId);
            if (location.isPresent()) {
                return location;
            }
        }
        return Optional.empty();
    }

    /** The default store's object-store archive (every class archives to the same bucket, under its own prefix). */
    public Optional<ColdTier> coldTier() {
        return defaultStore.coldTier();
    }

    /** Seals each class's active segment that reached a rotation limit; returns the sealed ones. */
    public List<SegmentInfo> rotateIfDue() throws IOException {
        List<SegmentInfo> sealed = new ArrayList<>();
        for (SegmentStore store : all) {
            store.rotateIfDue().ifPresent(sealed::add);
        }
        return sealed;
    }

    /** Seals every class's active segment now; returns the sealed ones, the default class's first. */
    public List<SegmentInfo> rotate(RotationReason reason) throws IOException {
        List<SegmentInfo> sealed = new ArrayList<>();
        for (SegmentStore store : all) {
            store.rotate(reason).ifPresent(sealed::add);
        }
        return sealed;
    }

    /** Runs each class's retention (its own retention and size cap); returns the evicted segment ids. */
    public List<String> enforceRetention() throws IOException {
        List<String> evicted = new ArrayList<>();
        for (SegmentStore store : all) {
            evicted.addAll(store.enforceRetention());
        }
        return evicted;
    }

    /** What the next retention pass would evict in each class, judged now; read-only. */
    public List<ClassOutlook> retentionOutlook() {
        List<ClassOutlook> outlooks = new ArrayList<>();
        outlooks.add(new ClassOutlook(RetentionClass.DEFAULT, defaultStore.config(), defaultStore.retentionOutlook()));
        classes.forEach(
                (name, store) -> outlooks.add(new ClassOutlook(name, store.config(), store.retentionOutlook())));
        return outlooks;
    }

    /** One class's retention settings and what its next retention pass evicts. */
    public record ClassOutlook(String retentionClass, StoreConfig config, SegmentStore.RetentionOutlook outlook) {}

    /** Evicts one sealed or archived segment of any class now (reason MANUAL). */
    public void evict(String segmentId) throws IOException {
        holdingOrThrow(segmentId).evict(segmentId);
    }

    /** Archives every class's sealed segments older than {@code segments.archive-after}. */
    public List<String> archiveDue() throws IOException {
        List<String> archived = new ArrayList<>();
        for (SegmentStore store : all) {
            archived.addAll(store.archiveDue());
        }
        return archived;
    }

    /** Archives one sealed segment; false when it is gone or already archived. */
    public boolean archive(String segmentId) throws IOException {
        Optional<SegmentStore> store = holding(segmentId);
        return store.isPresent() && store.get().archive(segmentId);
    }

    /** Files set aside since start-up in every class, with the reason. */
    public List<String> quarantined() {
        return all.stream().flatMap(s -> s.quarantined().stream()).toList();
    }

    /** Documents known damaged in a segment of this node (0 when none). */
    public int damagedRecords(String segmentId) {
        return all.stream()
                .mapToInt(s -> s.damagedRecords().count(segmentId))
                .max()
                .orElse(0);
    }

    /** Damaged documents per segment, over every class. */
    public Map<String, Integer> damagedRecordCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (SegmentStore store : all) {
            store.damagedRecords().counts().forEach((segment, n) -> counts.merge(segment, n, Math::max));
        }
        return counts;
    }

    /** Salvages a damaged or quarantined segment of any class ({@link SegmentStore#salvage}). */
    public Salvager.Salvaged salvage(String segmentId) throws IOException {
        NoSuchSegmentException missing = null;
        for (SegmentStore store : all) {
            try {
                return store.salvage(segmentId);
            } catch (NoSuchSegmentException e) {
                missing = e; // not this class's: neither in service nor quarantined here
            }
        }
        throw missing;
    }

    /** Each retention class's store by class name, {@link RetentionClass#DEFAULT} first (per-class metrics). */
    public Map<String, SegmentStore> storesByClass() {
        return byClass;
    }

    /** The default store and each class's, in that order (metrics, scrubbing, compaction status). */
    public List<SegmentStore> stores() {
        return all;
    }

    /** Every class's background compaction. */
    public List<Compactor> compactions() {
        return all.stream().map(SegmentStore::compaction).toList();
    }

    /** Counters of every class (shared). */
    public StoreCounters counters() {
        return defaultStore.counters();
    }

    /** The service's settings (the default class's retention; {@link #retentionOutlook} has each class's). */
    public StoreConfig config() {
        return config;
    }

    /** The lifecycle journal every class shares. */
    public LifecycleJournal journal() {
        return defaultStore.journal();
    }

    /** Closes each class's store, then the default one (which closes the journal they share). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (SegmentStore store : classes.values()) {
            try {
                store.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        defaultStore.close();
        if (failure != null) {
            throw failure;
        }
    }
}
