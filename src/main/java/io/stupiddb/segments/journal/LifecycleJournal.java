package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.DurableFiles;


import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The durable, append-only journal of segment lifecycle events (SPEC.md §5). An event is on disk
 * (written and forced) before {@link #append} returns, so a transition is never acknowledged
 * before its event; consumers that were down catch up with {@link #eventsAfter}.
 *
 * <h2>Layout (docs/JOURNAL.md)</h2>
 * <pre>
 * journal/
 *   journal-00000000000000000001.log   oldest retained file, named after its first seq
 *   journal-00000000000000004711.log   newest ("active") file, the only one appended to
 *   high-water                         the newest acknowledged seq, again ({@link JournalHighWater})
 * file:    header (16 bytes: "SDJL", version 1, first seq) | record | record | ...
 * record:  u32 payload length | u32 crc32c(payload) | payload (binary event, {@link JournalCodec})
 * </pre>
 * A file is created as {@code *.tmp}, its header forced, then renamed into place and the
 * directory forced; a file with a final name always has a complete header. Files roll at
 * {@code maxFileBytes}; {@link #trim} deletes whole files, oldest first.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Seqs start at 1, increase by one per event without gaps across files, and are never
 *       reused: the newest file's name holds its first seq, so the next seq survives a file that
 *       is empty because of a torn tail or because {@link #trim} removed every event.</li>
 *   <li>Every retained seq from {@link #firstRetainedSeq()} to {@link #lastSeq()} is readable.</li>
 *   <li>Listeners see each event once, in seq order, after it is durable.</li>
 *   <li>The high-water seq is written after the record is forced, so it never exceeds the
 *       journal's last durable seq, and an append returns only after both are forced.</li>
 * </ul>
 *
 * <h2>Recovery (constructor)</h2>
 * <ol>
 *   <li>Create the directory if missing (and force its parent).</li>
 *   <li>Delete {@code *.tmp} files left by an interrupted file creation.</li>
 *   <li>Check every file: header, then every record's checksum and seq, and that each file
 *       starts where the previous one ended.</li>
 *   <li>The newest file may end in a torn record (crash mid-append): it is truncated there,
 *       unless the records before it end below the high-water seq (then the bad record was
 *       acknowledged: damage, not a torn append). A bad record anywhere else — in an older file,
 *       or with an intact record after it — is not a crash artefact either. Both fail with
 *       {@link JournalCorruptedException} (path and offset); see {@link #repair}.</li>
 *   <li>The intact records must reach the high-water seq: a journal cut exactly at a record
 *       boundary, or missing its newest file, fails the same way.</li>
 *   <li>An empty directory starts {@code journal-…0001.log}; a journal without a high-water
 *       file (new, or written by an earlier version) gets one holding its last seq.</li>
 * </ol>
 *
 * <h2>Thread-safety</h2>
 * Thread-safe. {@code appendLock} admits one writer at a time ({@link #append}, {@link #trim},
 * {@link #close}); it is held across the write and the force. {@code stateLock} guards the
 * in-memory file list and is held only for memory updates, never for I/O, so readers
 * ({@link #eventsAfter}) run beside an appender on their own channels and see only forced
 * bytes. {@code deliveryLock} serialises listener calls. The caller must make sure only one
 * journal is open per directory (the store holds the data directory's lock).
 */
public final class LifecycleJournal implements Closeable {

    /** Default size at which the journal starts a new file. */
    public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(LifecycleJournal.class.getName());
    private static final int READ_RETRIES = 3;

    private final Path dir;
    private final InstantSource clock;
    private final long maxFileBytes;

    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    private final ReentrantLock deliveryLock = new ReentrantLock();

    /** Retained files by first seq. Changed under appendLock + stateLock write; read under stateLock read. */
    private final TreeMap<Long, JournalFile> files = new TreeMap<>();
    private final Queue<LifecycleEvent> undelivered = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<LifecycleListener> listeners = new CopyOnWriteArrayList<>();

    /** The newest file and its channel. Guarded by appendLock. */
    private JournalFile activeFile;
    private FileChannel activeChannel;
    /** Second durable record of the newest seq, written after each append is forced. Guarded by appendLock. */
    private JournalHighWater highWaterMark;
    /** Set when a write, force or roll failed: the on-disk state is unknown until reopened. Guarded by appendLock. */
    private IOException failure;

    private volatile long lastSeq;
    private volatile boolean closed;

    /** Opens (and recovers) the journal in {@code dir} with {@link #DEFAULT_MAX_FILE_BYTES}. */
    public LifecycleJournal(Path dir, InstantSource clock) throws IOException {
        this(dir, clock, DEFAULT_MAX_FILE_BYTES);
    }

    /**
     * Opens (and recovers) the journal in {@code dir}, creating it when missing.
     *
     * @param dir          the journal directory ({@code <data-dir>/journal})
     * @param clock        stamps each event's {@code at}
     * @param maxFileBytes roll to a new file once the newest one reaches this size
     * @throws JournalCorruptedException when a file is damaged beyond a torn tail
     */
    public LifecycleJournal(Path dir, InstantSource clock, long maxFileBytes) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxFileBytes <= JournalCodec.HEADER_BYTES) {
            throw new IllegalArgumentException("maxFileBytes must exceed the " + JournalCodec.HEADER_BYTES
                    + "-byte file header, got " + maxFileBytes);
        }
        this.maxFileBytes = maxFileBytes;
        boolean success = false;
        try {
            recover();
            success = true;
        } finally {
            if (!success && activeChannel != null) {
                activeChannel.close();
            }
            if (!success && highWaterMark != null) {
                highWaterMark.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Recovery

    private void recover() throws IOException {
        // 1. Directory.
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                DurableFiles.syncDirectory(parent);
            }
        }
        // 2. Leftovers of an interrupted file creation.
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "journal-*.log.tmp")) {
            for (Path leftover : leftovers) {
                LOG.log(System.Logger.Level.INFO, "lifecycle journal: deleting unfinished file {0}", leftover);
                Files.delete(leftover);
            }
        }
        // 3. Check every file; only the newest may lose a torn tail, and only a record that was
        // never acknowledged: one past the high-water seq.
        OptionalLong highWater = JournalHighWater.read(dir);
        long acknowledged = highWater.orElse(0);
        TreeMap<Long, Path> found = listFiles(dir);
        long expected = found.isEmpty() ? 1 : found.firstKey();
        for (Map.Entry<Long, Path> entry : found.entrySet()) {
            long firstSeq = entry.getKey();
            Path path = entry.getValue();
            JournalFile file = load(path, firstSeq, firstSeq == found.lastKey(), acknowledged);
            // Only a file started after a cut tail may skip (exactly the one seq the cut record may have had).
            boolean skipped = file.afterCut && firstSeq == expected + 1 && !files.isEmpty();
            if (firstSeq != expected && !skipped) {
                throw new JournalCorruptedException(path, 0, "file starts at seq " + firstSeq
                        + " but the previous file ends at seq " + (expected - 1) + " (a journal file is missing)");
            }
            files.put(firstSeq, file);
            expected = file.lastSeq() + 1;
        }
        // 4. A new journal; or, after a cut tail, a new file one seq further: the cut record may have
        // been acknowledged and seen under its seq, so that seq is never given to another event.
        if (files.isEmpty()) {
            JournalFile first = createFile(dir, 1, false);
            files.put(first.firstSeq, first);
        } else if (files.lastEntry().getValue().tailCut) {
            JournalFile next = createFile(dir, files.lastEntry().getValue().lastSeq() + 2, true);
            files.put(next.firstSeq, next);
        }
        activeFile = files.lastEntry().getValue();
        // 5. Nothing acknowledged may be missing at the end: a cut exactly at a record boundary,
        // or a lost newest file, leaves intact records that end before the high-water seq.
        long end = activeFile.lastSeq();
        if (end < acknowledged) {
            throw new JournalCorruptedException(activeFile.path, activeFile.committedBytes(), "the journal ends at seq "
                    + end + " but seq " + acknowledged + " was acknowledged (" + JournalHighWater.FILE_NAME
                    + "): the records after seq " + end + " are missing");
        }
        highWaterMark = JournalHighWater.open(dir, activeFile.lastSeq());
        if (highWater.isEmpty()) {
            DurableFiles.syncDirectory(dir);
        }
        activeChannel = FileChannel.open(activeFile.path, StandardOpenOption.WRITE);
        lastSeq = activeFile.lastSeq();
    }

    /**
     * Checks one file and returns what it holds; truncates a torn tail when {@code newest} and
     * the records before it reach the {@code acknowledged} seq (else the bad record was
     * acknowledged, so it is damage, not a torn append).
     */
    private static JournalFile load(Path path, long firstSeq, boolean newest, long acknowledged) throws IOException {
        try (FileChannel channel = newest
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = readAt(channel, 0, (int) Math.min(size, JournalCodec.HEADER_BYTES));
            String headerProblem = JournalCodec.checkHeader(header, firstSeq);
            if (headerProblem != null) {
                throw new JournalCorruptedException(path, 0, headerProblem);
            }
            JournalFile file = new JournalFile(path, firstSeq);
            file.afterCut = JournalCodec.afterCut(header);
            JournalFrameReader reader = new JournalFrameReader(channel, JournalCodec.HEADER_BYTES, size);
            while (true) {
                long offset = reader.offset();
                ByteBuffer payload;
                try {
                    payload = reader.next();
                } catch (JournalFrameReader.BadFrameException bad) {
                    if (newest && file.lastSeq() >= acknowledged && isTornTail(channel, bad, size)) {
                        LOG.log(System.Logger.Level.WARNING, "lifecycle journal: truncating torn tail of {0} at"
                                + " offset {1} ({2} bytes: {3}); the last append did not complete",
                                path, bad.offset, size - bad.offset, bad.getMessage());
                        channel.truncate(bad.offset);
                        channel.force(true);
                        file.tailCut = true;
                        break;
                    }
                    throw new JournalCorruptedException(path, bad.offset, bad.getMessage() + (!newest
                            ? "; only the newest file can end in a torn append"
                            : file.lastSeq() < acknowledged ? "; not a torn append: seq " + acknowledged
                                    + " was acknowledged (" + JournalHighWater.FILE_NAME + ")"
                            : "; not a torn append: more data follows it"));
                }
                if (payload == null) {
                    break;
                }
                LifecycleEvent event = decode(path, offset, payload);
                long expected = file.lastSeq() + 1;
                if (event.seq() != expected) {
                    throw new JournalCorruptedException(path, offset, "record has seq " + event.seq()
                            + ", expected " + expected);
                }
                file.committed(event.seq(), offset, reader.offset(), event.at().toEpochMilli());
            }
            return file;
        }
    }

    /**
     * Whether a bad frame at the end of the newest file can be the one append that was in flight
     * when the process died: it is the last thing in the file (at most one frame long, followed by
     * nothing or by zeros the file system extended the file with) and no intact frame starts
     * anywhere after its first byte.
     */
    private static boolean isTornTail(FileChannel channel, JournalFrameReader.BadFrameException bad, long size)
            throws IOException {
        long tail = size - bad.offset;
        if (tail > JournalCodec.FRAME_OVERHEAD + JournalCodec.MAX_PAYLOAD) {
            return false;
        }
        ByteBuffer bytes = readAt(channel, bad.offset, (int) tail);
        boolean lastThing = switch (bad.problem) {
            case SHORT_HEADER, SHORT_FRAME -> true;
            case BAD_LENGTH -> allZero(bytes, 0);
            case CHECKSUM -> allZero(bytes, (int) (bad.frameEnd - bad.offset));
        };
        return lastThing && !containsIntactFrame(bytes, 1);
    }

    private static boolean allZero(ByteBuffer bytes, int from) {
        for (int i = from; i < bytes.limit(); i++) {
            if (bytes.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIntactFrame(ByteBuffer bytes, int from) {
        for (int p = from; p + JournalCodec.FRAME_OVERHEAD < bytes.limit(); p++) {
            long length = Integer.toUnsignedLong(bytes.getInt(p));
            if (length == 0 || p + JournalCodec.FRAME_OVERHEAD + length > bytes.limit()
                    || bytes.get(p + JournalCodec.FRAME_OVERHEAD) != JournalCodec.PAYLOAD_VERSION) {
                continue;
            }
            ByteBuffer payload = bytes.slice(p + JournalCodec.FRAME_OVERHEAD, (int) length);
            if (JournalCodec.crc(payload) == bytes.getInt(p + 4)) {
                return true;
            }
        }
        return false;
    }

    private static LifecycleEvent decode(Path path, long offset, ByteBuffer payload) throws JournalCorruptedException {
        try {
            return JournalCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            throw new JournalCorruptedException(path, offset, "record passes its checksum but is not a valid event: "
                    + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * Assigns the next seq and the current time, writes the event and forces it to disk, then
     * notifies the listeners. Thread-safe; appends are serialised.
     *
     * @return the durable event
     * @throws IOException when the write or force failed; the journal then refuses further
     *                     appends until it is reopened (recovery decides whether the event made it)
     */
    public LifecycleEvent append(LifecycleEvent.Draft draft) throws IOException {
        Objects.requireNonNull(draft, "draft");
        LifecycleEvent event;
        appendLock.lock();
        try {
            ensureWritable();
            try {
                if (activeFile.committedBytes() >= maxFileBytes && !activeFile.isEmpty()) {
                    roll();
                }
                event = draft.toEvent(lastSeq + 1, Instant.ofEpochMilli(clock.millis()));
                ByteBuffer frame = JournalCodec.frame(event);
                long offset = activeFile.committedBytes();
                long end = offset + frame.remaining();
                DurableFiles.writeFully(activeChannel, frame, offset);
                activeChannel.force(false);
                highWaterMark.record(event.seq());
                stateLock.writeLock().lock();
                try {
                    activeFile.committed(event.seq(), offset, end, event.at().toEpochMilli());
                } finally {
                    stateLock.writeLock().unlock();
                }
            } catch (IOException e) {
                fail(e);
                throw e;
            }
            lastSeq = event.seq();
            undelivered.add(event);
        } finally {
            appendLock.unlock();
        }
        deliver();
        return event;
    }

    /**
     * Deletes whole files, oldest first, while every event in them is older than
     * {@code olderThan}; never a file with a younger event, and never a file after one that is
     * kept, so the retained seqs stay contiguous. When every event is old the journal first rolls
     * to an empty file, whose name keeps the next seq.
     *
     * <p>Rule for the caller: pass a cutoff no younger than {@code now - segments.retention}, so
     * the journal never drops events younger than the data retention: a consumer that was down
     * for less than the retention misses no event about data it may still hold.
     *
     * @return the number of files deleted
     */
    public int trim(Instant olderThan) throws IOException {
        long cutoff = olderThan.toEpochMilli();
        appendLock.lock();
        try {
            ensureWritable();
            List<JournalFile> expired = new ArrayList<>();
            for (JournalFile file : files.values()) { // only appendLock holders change the map
                boolean keep = file == activeFile
                        ? file.isEmpty() || file.newestAtMillis() >= cutoff
                        : !file.isEmpty() && file.newestAtMillis() >= cutoff;
                if (keep) {
                    break;
                }
                expired.add(file);
            }
            if (expired.isEmpty()) {
                return 0;
            }
            if (expired.getLast() == activeFile) {
                try {
                    roll();
                } catch (IOException e) {
                    fail(e);
                    throw e;
                }
            }
            stateLock.writeLock().lock();
            try {
                for (JournalFile file : expired) {
                    files.remove(file.firstSeq);
                }
            } finally {
                stateLock.writeLock().unlock();
            }
            // Oldest first: a crash in between leaves a contiguous suffix. Readers that already
            // opened a file keep reading it; readers that had only planned to get NoSuchFile.
            for (JournalFile file : expired) {
                Files.deleteIfExists(file.path);
            }
            DurableFiles.syncDirectory(dir);
            LOG.log(System.Logger.Level.INFO, "lifecycle journal: trimmed {0} file(s) with events older than {1};"
                    + " first retained seq is now {2}", expired.size(), olderThan, firstRetainedSeq());
            return expired.size();
        } finally {
            appendLock.unlock();
        }
    }

    /** Starts the next file. Caller holds appendLock. */
    private void roll() throws IOException {
        JournalFile next = createFile(dir, lastSeq + 1);
        FileChannel channel = FileChannel.open(next.path, StandardOpenOption.WRITE);
        FileChannel previous = activeChannel;
        stateLock.writeLock().lock();
        try {
            files.put(next.firstSeq, next);
        } finally {
            stateLock.writeLock().unlock();
        }
        activeFile = next;
        activeChannel = channel;
        previous.close();
    }

    /** Creates {@code journal-<firstSeq>.log} with its header, crash-safely (temp file, rename, force dir). */
    private static JournalFile createFile(Path dir, long firstSeq) throws IOException {
        return createFile(dir, firstSeq, false);
    }

    private static JournalFile createFile(Path dir, long firstSeq, boolean afterCut) throws IOException {
        String name = JournalFile.fileName(firstSeq);
        Path target = dir.resolve(name);
        Path temp = dir.resolve(name + ".tmp");
        if (Files.exists(target)) {
            throw new IOException("journal file " + target + " already exists");
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            DurableFiles.writeFully(channel, JournalCodec.header(firstSeq, afterCut), 0);
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(dir);
        JournalFile file = new JournalFile(target, firstSeq);
        file.afterCut = afterCut;
        return file;
    }

    /** Caller holds appendLock. */
    private void fail(IOException cause) {
        failure = cause;
        try {
            activeChannel.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
        LOG.log(System.Logger.Level.ERROR, "lifecycle journal: I/O error, no further appends until reopened", cause);
    }

    /** Caller holds appendLock. */
    private void ensureWritable() throws IOException {
        ensureOpen();
        if (failure != null) {
            throw new IOException("lifecycle journal in " + dir + " stopped after an I/O error and must be reopened: "
                    + failure.getMessage(), failure);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("lifecycle journal in " + dir + " is closed");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Listeners

    /** Adds a listener (once; adding it again does nothing). Thread-safe. */
    public void addListener(LifecycleListener listener) {
        listeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener; events already being delivered may still reach it. Thread-safe. */
    public void removeListener(LifecycleListener listener) {
        listeners.remove(listener);
    }

    /**
     * Delivers queued events in seq order. Events are queued under appendLock, so queue order is
     * seq order; one thread drains at a time. When this returns, the caller's own event has been
     * delivered — unless the caller is a listener appending from inside a delivery, in which case
     * the delivery loop further up its stack delivers it next.
     */
    private void deliver() {
        if (deliveryLock.isHeldByCurrentThread()) {
            return;
        }
        deliveryLock.lock();
        try {
            LifecycleEvent event;
            while ((event = undelivered.poll()) != null) {
                for (LifecycleListener listener : listeners) {
                    try {
                        listener.onEvent(event);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "lifecycle journal: listener " + listener
                                + " failed on event " + event.seq() + "; the event is durable, delivery goes on", e);
                    }
                }
            }
        } finally {
            deliveryLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /**
     * Up to {@code limit} events with {@code seq > afterSeq}, oldest first, gap-free, as an
     * unmodifiable list (possibly shorter than {@code limit} even when more exist, e.g. when
     * {@link #trim} ran during the read; ask again from the last seq returned). When
     * {@code afterSeq + 1 < firstRetainedSeq()} the events before the first retained one are gone
     * and the result starts at the oldest retained event. Thread-safe; does not block appenders
     * beyond a short snapshot of the file list.
     *
     * @throws JournalCorruptedException when a retained record no longer passes its checksum
     */
    public List<LifecycleEvent> eventsAfter(long afterSeq, int limit) throws IOException {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be >= 0, got " + afterSeq);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        ensureOpen();
        if (afterSeq >= lastSeq) {
            return List.of(); // also keeps afterSeq + 1 from overflowing
        }
        long from = afterSeq + 1;
        List<LifecycleEvent> events = new ArrayList<>(Math.min(limit, 1024));
        for (int attempt = 1; ; attempt++) {
            try {
                for (ReadPlan plan : plan(from)) {
                    read(plan, from, limit, events);
                    if (events.size() >= limit) {
                        break;
                    }
                }
                return List.copyOf(events);
            } catch (NoSuchFileException trimmed) {
                // trim() deleted a planned file. Everything read so far is contiguous: return it.
                // Otherwise plan again; the new plan starts at the oldest retained file.
                if (!events.isEmpty()) {
                    return List.copyOf(events);
                }
                if (attempt == READ_RETRIES) {
                    throw trimmed;
                }
            }
        }
    }

    /** Where to read the events from {@code from} on: a snapshot of forced bytes. */
    private record ReadPlan(Path path, long startSeq, long startOffset, long endOffset) {
    }

    private List<ReadPlan> plan(long from) {
        List<ReadPlan> plans = new ArrayList<>();
        stateLock.readLock().lock();
        try {
            Long start = files.floorKey(from);
            Map<Long, JournalFile> candidates = start == null ? files : files.tailMap(start, true);
            for (JournalFile file : candidates.values()) {
                if (file.isEmpty() || file.lastSeq() < from) {
                    continue;
                }
                long seq = Math.max(from, file.firstSeq);
                plans.add(new ReadPlan(file.path, file.scanStartSeq(seq), file.scanStartOffset(seq),
                        file.committedBytes()));
            }
        } finally {
            stateLock.readLock().unlock();
        }
        return plans;
    }

    private static void read(ReadPlan plan, long from, int limit, List<LifecycleEvent> into) throws IOException {
        try (FileChannel channel = FileChannel.open(plan.path(), StandardOpenOption.READ)) {
            JournalFrameReader reader = new JournalFrameReader(channel, plan.startOffset(), plan.endOffset());
            long seq = plan.startSeq();
            while (into.size() < limit) {
                long offset = reader.offset();
                ByteBuffer payload;
                try {
                    payload = reader.next();
                } catch (JournalFrameReader.BadFrameException bad) {
                    throw new JournalCorruptedException(plan.path(), bad.offset, bad.getMessage());
                }
                if (payload == null) {
                    return;
                }
                if (seq >= from) {
                    LifecycleEvent event = decode(plan.path(), offset, payload);
                    if (event.seq() != seq) {
                        throw new JournalCorruptedException(plan.path(), offset, "record has seq " + event.seq()
                                + ", expected " + seq);
                    }
                    into.add(event);
                }
                seq++;
            }
        }
    }

    /** Seq of the newest event, 0 when none was ever appended. Thread-safe. */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * The oldest seq {@link #eventsAfter} can still return ({@code lastSeq() + 1} when trimming
     * removed every event). A consumer whose {@code afterSeq + 1} is smaller missed events and
     * must resynchronise. Thread-safe.
     */
    public long firstRetainedSeq() {
        stateLock.readLock().lock();
        try {
            return files.firstKey();
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Closes the newest file; further calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            highWaterMark.close();
            if (failure == null) {
                activeChannel.close();
            }
        } finally {
            appendLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Offline repair

    /**
     * Repairs a journal that fails to open with {@link JournalCorruptedException}: moves the
     * damaged file and every older one into {@code dir/corrupted-<millis>/} (kept for inspection,
     * never read again). When the damaged file was the newest, it first creates an empty file whose
     * first seq lies past any seq the damaged file can hold, so seqs are still never reused.
     * Retained events then start later; consumers see {@link #firstRetainedSeq()} jump and know
     * they missed events. Crash-safe: rerun it after a crash. Not to be called while the journal
     * is open.
     *
     * @return the files moved aside (empty when the journal was healthy)
     */
    public static List<Path> repair(Path dir, InstantSource clock) throws IOException {
        List<Path> moved = new ArrayList<>();
        Path aside = dir.resolve("corrupted-" + clock.millis());
        while (true) {
            JournalCorruptedException damage;
            try (LifecycleJournal ignored = new LifecycleJournal(dir, clock)) {
                return moved;
            } catch (JournalCorruptedException e) {
                damage = e;
            }
            if (damage.path().getFileName().toString().equals(JournalHighWater.FILE_NAME)) {
                // Both slots damaged: the journal files themselves are checked without it.
                Files.createDirectories(aside);
                Path target = aside.resolve(JournalHighWater.FILE_NAME);
                Files.move(damage.path(), target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
                DurableFiles.syncDirectory(aside);
                DurableFiles.syncDirectory(dir);
                continue;
            }
            TreeMap<Long, Path> all = listFiles(dir);
            long damagedSeq = JournalFile.firstSeqOf(damage.path().getFileName().toString())
                    .orElseThrow(() -> damage);
            if (damagedSeq == all.lastKey()) {
                // A record takes at least MIN_FRAME_BYTES, which bounds the seqs the file can hold;
                // the high-water seq bounds what was acknowledged, also from a file cut short.
                long capacity = Math.max(0, Files.size(damage.path()) - JournalCodec.HEADER_BYTES)
                        / JournalCodec.MIN_FRAME_BYTES;
                long acknowledged = JournalHighWater.read(dir).orElse(0);
                createFile(dir, Math.max(damagedSeq + capacity, acknowledged) + 1);
            }
            Files.createDirectories(aside);
            for (Path path : all.headMap(damagedSeq, true).values()) {
                Path target = aside.resolve(path.getFileName());
                Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
            }
            DurableFiles.syncDirectory(aside);
            DurableFiles.syncDirectory(dir);
            LOG.log(System.Logger.Level.WARNING, "lifecycle journal: repaired {0}: moved {1} file(s) to {2} ({3})",
                    dir, moved.size(), aside, damage.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------
    // File helpers

    private static TreeMap<Long, Path> listFiles(Path dir) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "journal-*.log")) {
            for (Path path : stream) {
                OptionalLong firstSeq = JournalFile.firstSeqOf(path.getFileName().toString());
                if (firstSeq.isPresent() && Files.isRegularFile(path)) {
                    found.put(firstSeq.getAsLong(), path);
                }
            }
        }
        return found;
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
