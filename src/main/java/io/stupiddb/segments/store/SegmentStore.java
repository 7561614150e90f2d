package io.stupiddb.segments.store;

import io.stupiddb.segments.format.DurableFiles;

import io.stupiddb.segments.id.DocumentIdGenerator;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.lifecycle.ActiveSegmentConflictException;
import io.stupiddb.segments.lifecycle.NoSuchSegmentException;
import io.stupiddb.segments.lifecycle.Retention;
import io.stupiddb.segments.lifecycle.RotationPolicy;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.segment.SegmentList;
import io.stupiddb.segments.segment.StoredDocument;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.SegmentHeader;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One data directory of segments: the single writer, the ordered list of sealed and archived
 * segments, the lifecycle journal. Layout of the directory:
 * <pre>
 * data-dir/
 *   .lock                   exclusive file lock: one store per directory
 *   &lt;id&gt;.active             the segment being written (at most one)
 *   &lt;id&gt;.seg                sealed segments
 *   &lt;id&gt;.seg.deleted        evicted, waiting for their last reader (deleted at start-up)
 *   journal/                lifecycle journal (docs/JOURNAL.md)
 *   quarantine/             files that failed their checks, set aside for an operator
 *   archive/                archived segments, unless segments.archive-dir says elsewhere
 *     tmp/                  archive rewrites in progress (emptied at start-up)
 * </pre>
 *
 * <p>Invariants: document ids strictly increase across the whole store (also across restarts),
 * so segment order is id order and a scan cursor is just "the last id returned"; a lifecycle
 * event is durable in the journal before its transition is acknowledged; a segment leaves the
 * view before its file is renamed, and its file goes only after its last reader has left.
 *
 * <p>Thread-safety: {@link #write} and every lifecycle operation serialise on the writer lock
 * (one writer); the fsync wait of {@code fsync=always} happens outside it, so concurrent
 * writers share fsyncs. Reads ({@link #get}, {@link #scan}, {@link #segments}) are lock-free:
 * they take the current immutable {@link SegmentList} and hold a reference on each segment they
 * read.
 */
public final class SegmentStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SegmentStore.class.getName());
    /** Journal events outlive the data they describe by at least this much (see {@link #enforceRetention}). */
    private static final Duration JOURNAL_SLACK = Duration.ofDays(1);
    /**
     * How long one trained dictionary is used for new segments. Documents of a store change
     * slowly; sharing one dictionary across a day of segments keeps one copy of it in memory
     * (DictionaryRegistry) and keeps gets from switching dictionaries.
     */
    private static final Duration DICTIONARY_LIFETIME = Duration.ofDays(1);

    private final StoreConfig config;
    private final InstantSource clock;
    private final Path dataDir;
    private final Path archiveDir;
    private final Path archiveTmpDir;
    private final Path quarantineDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LifecycleJournal journal;
    /** Set once by recovery, before the store is handed out; used under the writer lock. */
    private DocumentIdGenerator ids;
    private final StoreCounters counters = new StoreCounters();
    /** Native zstd contexts shared by every segment's reads (bounded; none per segment). */
    private final DecompressionContexts contexts = DecompressionContexts.forThisMachine();
    private final RotationPolicy rotationPolicy;
    private final ScheduledExecutorService background;
    private final List<String> quarantined = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Long> archivedAt = new ConcurrentHashMap<>();

    /** The one writer: ids, appends, rotation, eviction, archive swaps, quarantine. */
    private final ReentrantLock writerLock = new ReentrantLock();
    private volatile SegmentList view = SegmentList.empty();
    private volatile byte[] nextDictionary;
    /** When {@link #nextDictionary} was trained (epoch ms; 0: never). */
    private volatile long dictionaryTrainedAt;
    private volatile boolean closed;
    /** The data directory's file system, looked up on first use (see {@link #freeDiskBytes}). */
    private volatile FileStore fileStore;
    /** A dictionary training is queued or running: rotations meanwhile do not queue another one. */
    private final AtomicBoolean training = new AtomicBoolean();
    // Guarded by writerLock.
    private long lastSegmentNumber;

    private SegmentStore(StoreConfig config, InstantSource clock, FileChannel lockChannel, FileLock lock,
                         LifecycleJournal journal, Path archiveDir) {
        this.config = config;
        this.clock = clock;
        this.dataDir = config.dataDir();
        this.archiveDir = archiveDir;
        this.archiveTmpDir = archiveDir.resolve("tmp");
        this.quarantineDir = dataDir.resolve("quarantine");
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.journal = journal;
        this.rotationPolicy = new RotationPolicy(config.maxSegmentAge(), config.maxSegmentSize());
        this.background = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("segment-store-background").factory());
    }

    /**
     * Opens (creating if needed) and recovers the store in {@code config.dataDir()}, in passes:
     * <ol>
     *   <li>create the directories and take the exclusive lock;</li>
     *   <li>delete leftovers of interrupted deletes and archives ({@code .seg.deleted}, {@code archive/tmp});</li>
     *   <li>open the journal and read what it says was evicted, archived, sealed;</li>
     *   <li>finish evictions and archives the journal recorded but the files do not show yet;</li>
     *   <li>open archived and sealed segments (header and footer only), quarantining bad ones;</li>
     *   <li>recover active files: cut torn tails, seal (empty ones are deleted);</li>
     *   <li>journal the transitions a crash kept out of it; pick the id floor and next dictionary.</li>
     * </ol>
     * Start-up cost grows with the number of segments, not documents.
     */
    public static SegmentStore open(StoreConfig config, InstantSource clock) throws IOException {
        Path dataDir = config.dataDir();
        Path archiveDir = config.archivePath();
        // Pass 1: directories and the lock.
        Files.createDirectories(dataDir);
        Files.createDirectories(archiveDir.resolve("tmp"));
        Files.createDirectories(dataDir.resolve("quarantine"));
        FileChannel lockChannel = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new StoreLockedException("data directory " + dataDir.toAbsolutePath()
                    + " is in use by another store (its .lock is held): one store per directory");
        }
        boolean success = false;
        LifecycleJournal journal = null;
        try {
            // Pass 2: leftovers.
            deleteMatching(dataDir, SegmentFiles.DELETED);
            deleteMatching(dataDir, SegmentFiles.TEMPORARY);
            deleteMatching(archiveDir, SegmentFiles.DELETED);
            deleteMatching(archiveDir.resolve("tmp"), "");
            // Pass 3: the journal.
            journal = new LifecycleJournal(dataDir.resolve("journal"), clock);
            SegmentStore store = new SegmentStore(config, clock, lockChannel, lock, journal, archiveDir);
            store.recover();
            success = true;
            return store;
        } finally {
            if (!success) {
                if (journal != null) {
                    journal.close();
                }
                lock.release();
                lockChannel.close();
            }
        }
    }

    private void recover() throws IOException {
        JournalSummary history = JournalSummary.read(journal);
        List<SealedSegment> segments = new ArrayList<>();
        Set<String> present = new HashSet<>();
        // Passes 4 and 5: archived segments first (they win over a leftover original).
        for (Path file : list(archiveDir, SegmentFiles.SEALED)) {
            String id = SegmentFiles.idOf(file, SegmentFiles.SEALED);
            if (history.evicted.contains(id)) {
                Files.deleteIfExists(file);
                continue;
            }
            SealedSegment segment = openOrQuarantine(file, SegmentState.ARCHIVED);
            if (segment != null) {
                segments.add(segment);
                present.add(id);
                archivedAt.put(id, Files.getLastModifiedTime(file).toMillis());
            }
        }
        for (Path file : list(dataDir, SegmentFiles.SEALED)) {
            String id = SegmentFiles.idOf(file, SegmentFiles.SEALED);
            if (history.evicted.contains(id)) {
                Files.deleteIfExists(file); // the eviction was journaled; finish it
                continue;
            }
            if (present.contains(id)) {
                // Archived copy complete (renamed into place); make sure the journal says so, drop the original.
                if (!history.archived.contains(id)) {
                    SealedSegment archived = segments.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
                    SegmentInfo info = archived.info(null);
                    journal.append(LifecycleEvent.Draft.archived(id, info.minTimestamp(), info.maxTimestamp(),
                            info.documents()));
                }
                Files.deleteIfExists(file);
                continue;
            }
            SealedSegment segment = openOrQuarantine(file, SegmentState.SEALED);
            if (segment != null) {
                segments.add(segment);
                present.add(id);
            }
        }
        // Pass 6: active files.
        ActiveSegment adopted = null;
        for (Path file : list(dataDir, SegmentFiles.ACTIVE)) {
            Object recovered = recoverActive(file);
            if (recovered instanceof SealedSegment sealed) {
                segments.add(sealed);
                present.add(sealed.id());
            } else if (recovered instanceof ActiveSegment active) {
                if (adopted != null) {
                    adopted.close(); // several active files and no space: serve the newest, the rest next start
                }
                adopted = active;
            }
        }
        segments.sort(java.util.Comparator.comparing(SealedSegment::id));
        // Pass 7: transitions a crash kept out of the journal, the id floor, the next dictionary.
        for (SealedSegment segment : segments) {
            if (!history.sealed.contains(segment.id())) {
                SegmentInfo info = segment.info(null);
                try {
                    journal.append(LifecycleEvent.Draft.sealed(segment.id(), info.minTimestamp(), info.maxTimestamp(),
                            info.documents()));
                } catch (IOException e) {
                    // No space for the catch-up event: start anyway; the next start journals it (derived from the files).
                    LOG.log(Level.WARNING, "could not journal SEGMENT_SEALED for " + segment.id() + " at start-up", e);
                }
            }
        }
        UUID floor = null;
        byte[] dictionary = null;
        long number = history.highestSegmentNumber;
        for (SealedSegment segment : segments) {
            if (floor == null || DocumentIds.compare(segment.footer().maxId(), floor) > 0) {
                floor = segment.footer().maxId();
            }
            number = Math.max(number, segmentNumber(segment.id()));
            if (segment.header().hasDictionary()) {
                dictionary = segment.header().dictionary();
                dictionaryTrainedAt = segment.header().createdAtMillis();
            }
        }
        if (adopted != null) {
            SegmentInfo info = adopted.info();
            if (floor == null || DocumentIds.compare(info.maxId(), floor) > 0) {
                floor = info.maxId();
            }
            number = Math.max(number, segmentNumber(adopted.id()));
        }
        this.view = new SegmentList(segments, adopted);
        this.nextDictionary = dictionary;
        this.lastSegmentNumber = number;
        this.ids = new DocumentIdGenerator(config.nodeId(), clock, floor);
        startBackgroundSync();
    }

    /** What the journal says happened to which segment (read once at start-up; events are few). */
    private record JournalSummary(Set<String> sealed, Set<String> archived, Set<String> evicted,
                                  long highestSegmentNumber) {
        static JournalSummary read(LifecycleJournal journal) throws IOException {
            Set<String> sealed = new HashSet<>();
            Set<String> archived = new HashSet<>();
            Set<String> evicted = new HashSet<>();
            long highest = 0;
            long after = 0;
            while (true) {
                List<LifecycleEvent> events = journal.eventsAfter(after, 10_000);
                if (events.isEmpty()) {
                    break;
                }
                for (LifecycleEvent event : events) {
                    switch (event.type()) {
                        case SEGMENT_SEALED -> sealed.add(event.segment());
                        case SEGMENT_ARCHIVED -> archived.add(event.segment());
                        case SEGMENT_EVICTED -> evicted.add(event.segment());
                        case SEGMENT_QUARANTINED -> { }
                    }
                    highest = Math.max(highest, segmentNumber(event.segment()));
                    after = event.seq();
                }
            }
            return new JournalSummary(sealed, archived, evicted, highest);
        }
    }

    /**
     * Recovers one active file: the sealed segment (the normal case, SPEC §7), null when there is
     * nothing to keep (empty or quarantined), or the recovered active segment itself when
     * sealing it fails for lack of disk space: it is then served and appended to as the active
     * segment, and sealed by a later rotation, so a full disk never keeps the service from starting.
     */
    private Object recoverActive(Path file) throws IOException {
        ActiveSegment.Recovered recovered;
        try {
            recovered = ActiveSegment.recover(file, config.fsync(), clock, contexts, this::preserveDamagedActive);
        } catch (CorruptSegmentException e) {
            if (Files.size(file) == 0) {
                Files.delete(file);
                return null;
            }
            quarantineFile(file, e.getMessage(), null);
            return null;
        }
        if (recovered.truncatedBytes() > 0) {
            LOG.log(Level.WARNING, "recovered {0}: kept {1} documents, cut {2} bytes ({3})", file,
                    recovered.records(), recovered.truncatedBytes(), recovered.stopReason());
        }
        if (recovered.records() == 0) {
            recovered.segment().close();
            Files.delete(file);
            DurableFiles.syncDirectory(dataDir);
            return null;
        }
        try {
            return recovered.segment().seal();
        } catch (IOException e) {
            if (!diskFull(e)) {
                throw e;
            }
            LOG.log(Level.WARNING, "no disk space to seal {0} at start-up: it stays the active segment", file);
            return recovered.segment();
        }
    }

    private SealedSegment openOrQuarantine(Path file, SegmentState state) throws IOException {
        try {
            return SealedSegment.open(file, state, contexts);
        } catch (CorruptSegmentException e) {
            quarantineFile(file, e.getMessage(), null);
            return null;
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
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        long now = clock.millis();
        long[] timestamps = validate(documents, now);
        checkFreeDisk();
        ActiveSegment target;
        long ticket;
        List<WrittenDocument> written = new ArrayList<>(documents.size());
        long bytes = 0;
        writerLock.lock();
        try {
            ensureOpen();
            try {
                rotateIfDue(now);
                target = view.active();
                if (target == null) {
                    target = createActive(now);
                }
            } catch (IOException e) {
                throw diskFull(e) ? new InsufficientStorageException("disk full while rotating or opening a segment"
                        + " in " + dataDir.toAbsolutePath() + ": nothing of the batch was written", e) : e;
            }
            List<NewDocument> batch = new ArrayList<>(documents.size());
            for (int i = 0; i < documents.size(); i++) {
                UUID id = ids.next();
                byte[] source = documents.get(i).source();
                batch.add(new NewDocument(id, timestamps[i], source));
                written.add(new WrittenDocument(id, target.id(), timestamps[i]));
                bytes += source.length;
            }
            try {
                ticket = target.write(batch);
            } catch (IOException e) {
                throw diskFull(e) ? new InsufficientStorageException("disk full while writing to "
                        + target.path() + ": nothing of the batch was written", e) : e;
            }
        } finally {
            writerLock.unlock();
        }
        target.awaitDurable(ticket);
        counters.written(documents.size(), bytes);
        return written;
    }

    private long[] validate(List<DocumentToWrite> documents, long now) {
        long oldest = now - config.retention().toMillis();
        long newest = now + config.maxClockSkew().toMillis();
        long[] timestamps = new long[documents.size()];
        for (int i = 0; i < documents.size(); i++) {
            DocumentToWrite doc = documents.get(i);
            byte[] source = doc.source();
            if (source.length == 0 || !isMessagePackMap(source[0])) {
                throw new DocumentRejectedException(i, DocumentRejectedException.Kind.MALFORMED,
                        "not a MessagePack map");
            }
            if (source.length > config.maxDocumentSize()) {
                throw new DocumentRejectedException(i, DocumentRejectedException.Kind.TOO_LARGE, "document is "
                        + source.length + " bytes, larger than segments.max-document-size (" + config.maxDocumentSize()
                        + ")");
            }
            long timestamp = doc.timestamp().orElse(now);
            if (timestamp < oldest) {
                throw new DocumentRejectedException(i, DocumentRejectedException.Kind.TIMESTAMP_TOO_OLD, "timestamp "
                        + Instant.ofEpochMilli(timestamp) + " is older than the retention ("
                        + config.retention() + "): it would be evicted at once");
            }
            if (timestamp > newest) {
                throw new DocumentRejectedException(i, DocumentRejectedException.Kind.TIMESTAMP_IN_FUTURE, "timestamp "
                        + Instant.ofEpochMilli(timestamp) + " is more than segments.max-clock-skew ("
                        + config.maxClockSkew() + ") in the future");
            }
            timestamps[i] = timestamp;
        }
        return timestamps;
    }

    private static boolean isMessagePackMap(byte first) {
        int b = first & 0xFF;
        return (b >= 0x80 && b <= 0x8F) || b == 0xDE || b == 0xDF;
    }

    /**
     * Usable bytes in the data directory's file system. The FileStore is looked up once: the lookup
     * scans the mount table (~100-250 µs, measured by bench/PeersBench), and every write checks free
     * disk; its getUsableSpace() is a statvfs of the data directory's path (~2 µs).
     */
    public long freeDiskBytes() throws IOException {
        FileStore store = fileStore;
        if (store == null) {
            store = Files.getFileStore(dataDir);
            fileStore = store;
        }
        return store.getUsableSpace();
    }

    /** Whether writes are currently refused for lack of disk (for readiness). */
    public boolean belowMinFreeDisk() {
        try {
            return freeDiskBytes() < config.minFreeDisk();
        } catch (IOException e) {
            return true;
        }
    }

    private void checkFreeDisk() throws IOException {
        long free = freeDiskBytes();
        if (free < config.minFreeDisk()) {
            throw new InsufficientStorageException("only " + free + " bytes free in " + dataDir.toAbsolutePath()
                    + ", below segments.min-free-disk (" + config.minFreeDisk() + "): writes are refused, reads go on");
        }
    }

    /** ENOSPC/EDQUOT anywhere in the cause chain (the JDK reports them as plain IOExceptions). */
    private static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof InsufficientStorageException || message.contains("No space left")
                    || message.contains("Disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    /** Caller holds the writer lock. */
    private ActiveSegment createActive(long now) throws IOException {
        long number = Math.max(now, lastSegmentNumber + 1);
        String id = String.format("%04d-%013d", config.nodeId(), number);
        byte[] dictionary = config.compression() == Codec.ZSTD ? nextDictionary : null;
        SegmentHeader header = SegmentHeader.create(id, now, config.compression(),
                config.compression() == Codec.ZSTD ? config.compressionLevel() : 0, config.nodeId(), dictionary);
        ActiveSegment active = ActiveSegment.create(dataDir, header, config.fsync(), clock, contexts);
        lastSegmentNumber = number;
        view = view.withActive(active);
        return active;
    }

    private static long segmentNumber(String segmentId) {
        int dash = segmentId.lastIndexOf('-');
        try {
            return dash < 0 ? 0 : Long.parseLong(segmentId.substring(dash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ reads

    /** The document with this id, if the store holds it. Lock-free. */
    public Optional<StoredDocument> get(UUID id) throws IOException {
        for (int attempt = 0; ; attempt++) {
            SegmentList current = view;
            SealedSegment segment = current.sealedHolding(id);
            try {
                if (segment != null) {
                    return segment.get(id);
                }
                ActiveSegment active = current.active();
                return active == null ? Optional.empty() : active.get(id);
            } catch (SegmentClosedException e) {
                // Sealed, archived or evicted under us: the next view knows where the document is now.
                if (attempt >= 3) {
                    throw e;
                }
            } catch (CorruptSegmentException e) {
                quarantine(segment != null ? segment.id() : null, e);
                throw e;
            }
        }
    }

    /**
     * A cursor over all documents matching {@code spec}, segment by segment, oldest first, in id
     * order; segments outside the time range or before {@code spec.afterId()} are skipped
     * without being read. Only one segment is open at a time. Close it.
     */
    public DocumentCursor scan(ScanSpec spec) {
        return new StoreCursor(spec);
    }

    /** Up to {@code limit} documents of a scan, and the id to continue after (null at the end). */
    public ScanPage page(ScanSpec spec, int limit) {
        List<StoredDocument> documents = new ArrayList<>(Math.min(limit, 1024));
        try (DocumentCursor cursor = scan(spec)) {
            while (documents.size() < limit && cursor.advance()) {
                documents.add(cursor.document());
            }
            boolean more = documents.size() == limit && cursor.advance();
            return new ScanPage(documents, more ? documents.getLast().id() : null);
        }
    }

    private final class StoreCursor implements DocumentCursor {
        private final ScanSpec spec;
        private final List<String> segmentIds = new ArrayList<>();
        private int nextSegment;
        private DocumentCursor current;
        private UUID lastId;
        private boolean closed;

        StoreCursor(ScanSpec spec) {
            this.spec = spec;
            this.lastId = spec.afterId();
            SegmentList snapshot = view;
            for (SealedSegment segment : snapshot.sealed()) {
                SegmentInfo info = segment.info(null);
                if (worthReading(info)) {
                    segmentIds.add(segment.id());
                }
            }
            if (snapshot.active() != null) {
                segmentIds.add(snapshot.active().id());
            }
        }

        private boolean worthReading(SegmentInfo info) {
            if (info.documents() == 0) {
                return false;
            }
            if (lastId != null && info.maxId() != null && DocumentIds.compare(info.maxId(), lastId) <= 0) {
                return false;
            }
            return info.minTimestamp() == null || spec.overlaps(info.minTimestamp(), info.maxTimestamp());
        }

        @Override
        public boolean advance() {
            if (closed) {
                throw new IllegalStateException("cursor is closed");
            }
            while (true) {
                if (current == null && !openNext()) {
                    return false;
                }
                try {
                    if (current.advance()) {
                        lastId = current.id();
                        return true;
                    }
                    current.close();
                    current = null;
                } catch (SegmentClosedException e) {
                    // The segment was sealed or archived meanwhile (same id, new file): continue there.
                    current.close();
                    current = null;
                    nextSegment--;
                } catch (CorruptSegmentException e) {
                    String id = current.segmentId();
                    current.close();
                    current = null;
                    quarantine(id, e);
                    throw e;
                }
            }
        }

        /** Opens the next segment of the snapshot that still exists; false when none is left. */
        private boolean openNext() {
            while (nextSegment < segmentIds.size()) {
                String id = segmentIds.get(nextSegment++);
                SegmentList now = view;
                ScanSpec resume = lastId == null ? spec : spec.after(lastId);
                try {
                    SealedSegment sealed = now.sealed(id);
                    if (sealed != null) {
                        if (!worthReading(sealed.info(null))) {
                            continue;
                        }
                        current = sealed.scan(resume);
                        return true;
                    }
                    if (now.active() != null && now.active().id().equals(id)) {
                        current = now.active().scan(resume);
                        return true;
                    }
                    // Evicted since the scan started: continue with the next one.
                } catch (SegmentClosedException e) {
                    nextSegment--; // replaced while we looked; look again in the newer view
                    Thread.onSpinWait();
                }
            }
            return false;
        }

        @Override
        public UUID id() {
            return current.id();
        }

        @Override
        public long timestamp() {
            return current.timestamp();
        }

        @Override
        public String segmentId() {
            return current.segmentId();
        }

        @Override
        public java.nio.ByteBuffer source() {
            return current.source();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (current != null) {
                    current.close();
                    current = null;
                }
            }
        }
    }

    // ------------------------------------------------------------------ segments and lifecycle

    /** All segments, oldest first; the active one last. */
    public List<SegmentInfo> segments() {
        SegmentList current = view;
        List<SegmentInfo> infos = new ArrayList<>(current.sealed().size() + 1);
        for (SealedSegment segment : current.sealed()) {
            infos.add(segment.info(archivedAt.get(segment.id())));
        }
        if (current.active() != null) {
            infos.add(current.active().info());
        }
        return infos;
    }

    public Optional<SegmentInfo> segment(String segmentId) {
        return segments().stream().filter(s -> s.id().equals(segmentId)).findFirst();
    }

    /** Seals the active segment if a rotation limit is reached (the scheduler's job; also checked on write). */
    public Optional<SegmentInfo> rotateIfDue() throws IOException {
        writerLock.lock();
        try {
            ensureOpen();
            return rotateIfDue(clock.millis());
        } finally {
            writerLock.unlock();
        }
    }

    private Optional<SegmentInfo> rotateIfDue(long now) throws IOException {
        ActiveSegment active = view.active();
        if (active == null) {
            return Optional.empty();
        }
        Optional<RotationReason> reason = rotationPolicy.decide(active.info(), now);
        return reason.isPresent() ? rotate(reason.get()) : Optional.empty();
    }

    /**
     * Seals the active segment now: the next write opens a new one. Empty when there is nothing
     * to seal. The SEGMENT_SEALED event is durable before this returns.
     */
    public Optional<SegmentInfo> rotate(RotationReason reason) throws IOException {
        writerLock.lock();
        try {
            ensureOpen();
            ActiveSegment active = view.active();
            if (active == null || active.documents() == 0) {
                return Optional.empty();
            }
            SealedSegment sealed;
            try {
                // The view points at the sealed segment before the active one closes: no reader falls between.
                sealed = active.seal(published -> view = view.withSealed(published, null));
            } catch (IOException e) {
                throw diskFull(e) ? new InsufficientStorageException("disk full while sealing " + active.id()
                        + ": it stays the active segment", e) : e;
            }
            SegmentInfo info = sealed.info(null);
            journal.append(LifecycleEvent.Draft.sealed(info.id(), info.minTimestamp(), info.maxTimestamp(),
                    info.documents()));
            counters.rotated(reason);
            long now = clock.millis();
            if (config.compression() == Codec.ZSTD && !background.isShutdown()
                    && (nextDictionary == null || now - dictionaryTrainedAt >= DICTIONARY_LIFETIME.toMillis())
                    && training.compareAndSet(false, true)) {
                // Training takes ~1 s for 4,096 samples: off the write path; a later segment uses it. One at
                // a time: when segments are sealed faster than that (a backfill), rotations do not queue more.
                dictionaryTrainedAt = now;
                background.execute(() -> {
                    try {
                        active.trainDictionary().ifPresent(d -> nextDictionary = d);
                    } finally {
                        training.set(false);
                    }
                });
            }
            return Optional.of(info);
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Runs retention: evicts segments beyond {@code segments.retention}, then the oldest ones
     * while the store is larger than {@code segments.max-total-size}, and trims the journal.
     *
     * @return the evicted segment ids, oldest first
     */
    public List<String> enforceRetention() throws IOException {
        writerLock.lock();
        try {
            ensureOpen();
            long now = clock.millis();
            List<SegmentInfo> infos = segments();
            List<String> byTime = Retention.beyondTime(infos, now, config.retention());
            List<String> bySize = config.maxTotalSize().isPresent()
                    ? Retention.beyondSize(infos, config.maxTotalSize().getAsLong(), Set.copyOf(byTime))
                    : List.of();
            List<String> evicted = new ArrayList<>();
            for (String id : byTime) {
                evict(id, EvictionReason.RETENTION);
                evicted.add(id);
            }
            for (String id : bySize) {
                evict(id, EvictionReason.SIZE);
                evicted.add(id);
            }
            // Events outlive their segments: a segment is evicted at maxTimestamp + retention at the latest,
            // and maxTimestamp <= its sealing time + max clock skew.
            journal.trim(Instant.ofEpochMilli(now).minus(config.retention()).minus(config.maxClockSkew())
                    .minus(JOURNAL_SLACK));
            return evicted;
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Evicts one sealed or archived segment now (reason MANUAL).
     *
     * @throws NoSuchSegmentException when there is no such segment
     * @throws ActiveSegmentConflictException for the active segment
     */
    public void evict(String segmentId) throws IOException {
        writerLock.lock();
        try {
            ensureOpen();
            evict(segmentId, EvictionReason.MANUAL);
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Caller holds the writer lock. Journal first (durable), then out of the view, then the file
     * is renamed aside and deleted once its last reader has left; a crash in between finishes
     * the eviction at start-up from the journal.
     */
    private void evict(String segmentId, EvictionReason reason) throws IOException {
        SegmentList current = view;
        if (current.active() != null && current.active().id().equals(segmentId)) {
            throw new ActiveSegmentConflictException(segmentId);
        }
        SealedSegment segment = current.sealed(segmentId);
        if (segment == null) {
            throw new NoSuchSegmentException(segmentId);
        }
        SegmentInfo info = segment.info(archivedAt.get(segmentId));
        journal.append(LifecycleEvent.Draft.evicted(segmentId, reason, info.minTimestamp(), info.maxTimestamp(),
                info.documents()));
        view = current.without(segmentId);
        archivedAt.remove(segmentId);
        Path file = segment.path();
        Path deleted = file.resolveSibling(segmentId + SegmentFiles.DELETED);
        Files.move(file, deleted, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(file.getParent());
        segment.close(() -> deleteQuietly(deleted));
        counters.evicted(reason);
    }

    /**
     * Archives every sealed segment older than {@code segments.archive-after} (by sealing time):
     * rewrites it at {@code segments.archive-compression-level} into the archive directory.
     * The rewrite runs outside the writer lock; only the swap takes it.
     *
     * @return the archived segment ids
     */
    public List<String> archiveDue() throws IOException {
        if (config.archiveAfter().isEmpty()) {
            return List.of();
        }
        long cutoff = clock.millis() - config.archiveAfter().get().toMillis();
        List<String> archived = new ArrayList<>();
        for (SealedSegment segment : view.sealed()) {
            if (segment.state() == SegmentState.SEALED && segment.footer().sealedAtMillis() <= cutoff) {
                if (archive(segment.id())) {
                    archived.add(segment.id());
                }
            }
        }
        return archived;
    }

    /**
     * Archives one sealed segment: temp file in {@code archive/tmp}, fsync, rename into the archive
     * directory, fsync, journal, swap, original deleted after its readers. Crash-safe at every
     * step (start-up finishes or discards it). False when the segment is gone or already archived.
     */
    public boolean archive(String segmentId) throws IOException {
        ensureOpen();
        SealedSegment original = view.sealed(segmentId);
        if (original == null || original.state() != SegmentState.SEALED) {
            return false;
        }
        Path tmp;
        try {
            tmp = rewriteForArchive(original);
        } catch (SegmentClosedException e) {
            return false; // evicted while we copied
        }
        writerLock.lock();
        try {
            ensureOpen();
            if (view.sealed(segmentId) != original) {
                Files.deleteIfExists(tmp);
                return false;
            }
            Path target = archiveDir.resolve(segmentId + SegmentFiles.SEALED);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(archiveDir);
            SealedSegment archived = SealedSegment.open(target, SegmentState.ARCHIVED, contexts);
            SegmentInfo info = archived.info(null);
            journal.append(LifecycleEvent.Draft.archived(segmentId, info.minTimestamp(), info.maxTimestamp(),
                    info.documents()));
            archivedAt.put(segmentId, clock.millis());
            view = view.replacing(archived);
            Path deleted = original.path().resolveSibling(segmentId + SegmentFiles.DELETED);
            Files.move(original.path(), deleted, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(original.path().getParent());
            original.close(() -> deleteQuietly(deleted));
            return true;
        } finally {
            writerLock.unlock();
        }
    }

    /** Copies every document into a new file at the archive level; returns the sealed temp file. */
    private Path rewriteForArchive(SealedSegment original) throws IOException {
        deleteMatching(archiveTmpDir, "");
        SegmentHeader old = original.header();
        SegmentHeader header = SegmentHeader.create(old.segmentId(), old.createdAtMillis(), Codec.ZSTD,
                config.archiveCompressionLevel(), old.nodeId(), old.codec() == Codec.ZSTD ? old.dictionary() : null);
        ActiveSegment copy = ActiveSegment.create(archiveTmpDir, header, DurabilityMode.NEVER,
                InstantSource.fixed(Instant.ofEpochMilli(original.footer().sealedAtMillis())));
        boolean success = false;
        try (DocumentCursor cursor = original.scan(ScanSpec.ALL)) {
            List<NewDocument> batch = new ArrayList<>(256);
            while (cursor.advance()) {
                StoredDocument doc = cursor.document();
                batch.add(new NewDocument(doc.id(), doc.timestamp(), doc.source()));
                if (batch.size() == 256) {
                    copy.append(batch);
                    batch = new ArrayList<>(256);
                }
            }
            copy.append(batch);
            SealedSegment sealed = copy.seal();
            sealed.close();
            success = true;
            return sealed.path();
        } finally {
            if (!success) {
                copy.close();
                deleteMatching(archiveTmpDir, "");
            }
        }
    }

    /**
     * Takes a segment that failed its checks out of service: out of the view, file moved to
     * {@code quarantine/}, SEGMENT_QUARANTINED journaled, counted. Never throws.
     */
    private void quarantine(String segmentId, CorruptSegmentException cause) {
        if (segmentId == null) {
            return;
        }
        writerLock.lock();
        try {
            SealedSegment segment = view.sealed(segmentId);
            if (segment == null) {
                return;
            }
            view = view.without(segmentId);
            Path file = segment.path();
            segment.close(() -> {
                try {
                    quarantineFile(file, cause.getMessage(), segment.info(null));
                } catch (IOException e) {
                    LOG.log(Level.ERROR, "could not quarantine " + file, e);
                }
            });
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * An active file with intact records after a bad one is damaged, not torn: before recovery
     * cuts it, a copy of the file as found goes to {@code quarantine/} (forced), and the damage
     * is journaled, counted and shown in readiness like a quarantined segment. The segment itself
     * stays, with the records before the damage. When the copy fails (a full disk), the start
     * fails rather than cut acknowledged records without a copy.
     */
    private void preserveDamagedActive(Path file, long offset, String problem, long intactAfter) throws IOException {
        Path target = quarantineDir.resolve(file.getFileName() + "." + clock.millis());
        try {
            Files.copy(file, target);
            try (FileChannel copy = FileChannel.open(target, StandardOpenOption.WRITE)) {
                copy.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw new IOException("active segment " + file + " is damaged at byte " + offset + " with " + intactAfter
                    + " intact records after it, and could not be copied to " + quarantineDir
                    + " before recovery cuts it (free space and restart): " + e.getMessage(), e);
        }
        DurableFiles.syncDirectory(quarantineDir);
        String detail = "active segment damaged at byte " + offset + " (" + problem + "), " + intactAfter
                + " intact record(s) after it; the segment keeps the records before the damage, the file as found"
                + " is quarantine/" + target.getFileName();
        recordQuarantine(file, target, detail, null, null, intactAfter);
        LOG.log(Level.ERROR, "{0}: {1}", file, detail);
    }

    private void quarantineFile(Path file, String problem, SegmentInfo info) throws IOException {
        Path target = quarantineDir.resolve(file.getFileName() + "." + clock.millis());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(file.getParent());
        recordQuarantine(file, target, problem, info == null ? null : info.minTimestamp(),
                info == null ? null : info.maxTimestamp(), info == null ? 0 : info.documents());
        LOG.log(Level.ERROR, "quarantined {0}: {1}", file, problem);
    }

    /**
     * Journals SEGMENT_QUARANTINED for what {@code file} held (its segment id from the name,
     * "unknown" when the name is not one), counts it and lists it for readiness.
     */
    private void recordQuarantine(Path file, Path target, String detail, Long minTimestamp, Long maxTimestamp,
                                  long documents) throws IOException {
        String segmentId = file.getFileName().toString().replaceAll("\\.(seg|active)$", "");
        journal.append(LifecycleEvent.Draft.quarantined(SegmentHeader.SEGMENT_ID.matcher(segmentId).matches()
                ? segmentId : "unknown", detail, minTimestamp, maxTimestamp, documents));
        quarantined.add(target.getFileName() + ": " + detail);
        counters.corrupt();
    }

    /** Files set aside since start-up, with the reason (readiness shows them). */
    public List<String> quarantined() {
        return List.copyOf(quarantined);
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

    // ------------------------------------------------------------------ durability and shutdown

    private void startBackgroundSync() {
        if (config.fsync() == DurabilityMode.INTERVAL) {
            long period = config.fsyncInterval().toMillis();
            background.scheduleAtFixedRate(this::syncActive, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private void syncActive() {
        ActiveSegment active = view.active();
        if (active == null) {
            return;
        }
        try {
            active.sync();
        } catch (SegmentClosedException ignored) {
            // sealed meanwhile: seal forced it
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "interval fsync of " + active.path() + " failed", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the segment store is closed");
        }
    }

    /**
     * Stops taking writes, seals the active segment (an empty one is deleted), waits for the
     * background work, closes every segment and the journal, releases the directory lock.
     */
    @Override
    public void close() throws IOException {
        writerLock.lock();
        try {
            if (closed) {
                return;
            }
            ActiveSegment active = view.active();
            if (active != null) {
                if (active.documents() > 0) {
                    rotate(RotationReason.SHUTDOWN);
                } else {
                    active.close();
                    Files.deleteIfExists(active.path());
                    view = view.withActive(null);
                }
            }
            closed = true;
        } finally {
            writerLock.unlock();
        }
        background.shutdown();
        try {
            background.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SealedSegment segment : view.sealed()) {
            segment.close();
        }
        journal.close();
        contexts.close();
        lock.release();
        lockChannel.close();
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)
                    && (!suffix.equals(SegmentFiles.SEALED) || !p.getFileName().toString().endsWith(".tmp"))).sorted()
                    .toList();
        }
    }

    private static void deleteMatching(Path dir, String suffix) throws IOException {
        for (Path file : list(dir, suffix)) {
            Files.deleteIfExists(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + file + "; it is deleted at the next start", e);
        }
    }
}
