package io.stupiddb.segments.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

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
 * {@code maxFileBytes}; {@link #trim} deletes whole files, oldest first. File names and crash-safe
 * creation: {@link JournalDirectory}.
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
 *       {@link JournalCorruptedException} (path and offset); see {@link #repair}
 *       ({@link JournalRepair}).</li>
 *   <li>The intact records must reach the high-water seq: a journal cut exactly at a record
 *       boundary, or missing its newest file, fails the same way.</li>
 *   <li>An empty directory starts {@code journal-…0001.log}; a journal without a high-water
 *       file (new, or written by an earlier version) gets one holding its last seq.</li>
 * </ol>
 * The passes are {@link JournalRecovery}'s; the torn-tail test is its {@code isTornTail}.
 *
 * <h2>Thread-safety</h2>
 * Thread-safe. One class per job, each with its own lock:
 * <ul>
 *   <li>{@link JournalAppender}: {@code appendLock} admits one writer at a time ({@link #append},
 *       {@link #trim}, {@link #close}); it is held across the write and the force.</li>
 *   <li>{@link JournalFileList}: {@code fileListLock} guards the in-memory file list and is held
 *       only for memory updates, never for I/O, so readers ({@link #eventsAfter},
 *       {@link JournalReader}) run beside an appender on their own channels and see only forced
 *       bytes.</li>
 *   <li>{@link JournalListeners}: {@code deliveryLock} serialises listener calls, outside the
 *       append lock.</li>
 * </ul>
 * The caller must make sure only one journal is open per directory (the store holds the data
 * directory's lock).
 */
public final class LifecycleJournal implements Closeable {

    /** Default size at which the journal starts a new file. */
    public static final long DEFAULT_MAX_FILE_BYTES = 16L * 1024 * 1024;

    private final JournalFileList fileList;
    private final JournalListeners listeners = new JournalListeners();
    private final JournalAppender appender;
    private final JournalReader reader;
    /** A new id whenever this journal starts from nothing ({@link JournalEpoch}). */
    private final String epoch;

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
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        if (maxFileBytes <= JournalCodec.HEADER_BYTES) {
            throw new IllegalArgumentException("maxFileBytes must exceed the " + JournalCodec.HEADER_BYTES
                    + "-byte file header, got " + maxFileBytes);
        }
        JournalRecovery.Recovered recovered = JournalRecovery.recover(dir);
        this.fileList = new JournalFileList(recovered.files());
        this.appender = new JournalAppender(dir, clock, maxFileBytes, recovered, fileList, listeners);
        this.reader = new JournalReader(fileList);
        this.epoch = JournalEpoch.readOrCreate(dir);
    }

    /**
     * The journal's epoch: seqs are unique within it. A new journal (a lost volume) has a new
     * one, which is how a consumer tells "seq 5 again" from "seq 5 of the journal I followed".
     */
    public String epoch() {
        return epoch;
    }

    /**
     * Assigns the next seq and the current time, writes the event and forces it to disk, then
     * notifies the listeners. Thread-safe; appends are serialised.
     *
     * @return the durable event
     * @throws IOException when the write or force failed; the journal then refuses further
     *                     appends until it is reopened (recovery decides whether the event made it)
     */
    public LifecycleEvent append(LifecycleEvent.Draft draft) throws IOException {
        LifecycleEvent event = appender.append(draft);
        listeners.deliver();
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
        return appender.trim(olderThan);
    }

    /** Adds a listener (once; adding it again does nothing). Thread-safe. */
    public void addListener(LifecycleListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener; events already being delivered may still reach it. Thread-safe. */
    public void removeListener(LifecycleListener listener) {
        listeners.remove(listener);
    }

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
        appender.ensureOpen();
        return reader.eventsAfter(afterSeq, limit, appender.lastSeq());
    }

    /** Seq of the newest event, 0 when none was ever appended. Thread-safe. */
    public long lastSeq() {
        return appender.lastSeq();
    }

    /**
     * The oldest seq {@link #eventsAfter} can still return ({@code lastSeq() + 1} when trimming
     * removed every event). A consumer whose {@code afterSeq + 1} is smaller missed events and
     * must resynchronise. Thread-safe.
     */
    public long firstRetainedSeq() {
        return fileList.firstRetainedSeq();
    }

    /** Closes the newest file; further calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() throws IOException {
        appender.close();
    }

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
        return JournalRepair.repair(dir, clock);
    }
}
