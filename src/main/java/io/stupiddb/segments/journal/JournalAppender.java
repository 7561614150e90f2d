package io.stupiddb.segments.journal;

import io.stupiddb.segments.format.DurableFiles;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The journal's single writer: appends records to the active file (write, force, then the
 * high-water mark), rolls to a new file at {@code maxFileBytes}, trims old files, and closes.
 *
 * <p>Invariants: the next seq is {@code lastSeq + 1}, assigned under the append lock; an event
 * reaches the {@link JournalFileList} (so readers) and the {@link JournalListeners} queue only
 * after its record and the high-water mark are forced. After a failed write, force or roll the
 * on-disk state is unknown, so the failure is sticky: no further append or trim until the
 * journal is reopened and recovery decides whether the last record made it (after a failed
 * {@code fsync} the page cache cannot be trusted, so retrying in place would be wrong).
 *
 * <p>Thread-safety: thread-safe. {@code appendLock} admits one writer at a time ({@link #append},
 * {@link #trim}, {@link #close}) and is held across the write and the force; it guards the
 * active file, its channel, the high-water mark and the failure. {@link #lastSeq} and
 * {@link #ensureOpen} may be called from any thread.
 */
final class JournalAppender implements Closeable {

    private static final System.Logger LOG = System.getLogger(LifecycleJournal.class.getName());

    private final Path dir;
    private final InstantSource clock;
    private final long maxFileBytes;
    private final JournalFileList fileList;
    private final JournalListeners listeners;

    private final ReentrantLock appendLock = new ReentrantLock();

    /** The newest file and its channel. Guarded by appendLock. */
    private JournalFile activeFile;

    private FileChannel activeChannel;
    /** Second durable record of the newest seq, written after each append is forced. Guarded by appendLock. */
    private final JournalHighWater highWaterMark;
    /** Set when a write, force or roll failed: the on-disk state is unknown until reopened. Guarded by appendLock. */
    private IOException failure;

    private volatile long lastSeq;
    private volatile boolean closed;

    /** Takes over the open resources of {@code recovered} and appends after its last record. */
    JournalAppender(
            Path dir,
            InstantSource clock,
            long maxFileBytes,
            JournalRecovery.Recovered recovered,
            JournalFileList fileList,
            JournalListeners listeners) {
        this.dir = dir;
        this.clock = clock;
        this.maxFileBytes = maxFileBytes;
        this.fileList = fileList;
        this.listeners = listeners;
        this.highWaterMark = recovered.highWater();
        this.activeChannel = recovered.activeChannel();
        this.activeFile = fileList.active();
        this.lastSeq = activeFile.lastSeq();
    }

    /**
     * Assigns the next seq and the current time, writes the event and forces it, records the
     * seq in the high-water file, then makes the event visible to readers and queues it for the
     * listeners (the caller delivers).
     *
     * @throws IOException when the write or force failed; further appends then fail until reopened
     */
    LifecycleEvent append(LifecycleEvent.Draft draft) throws IOException {
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
                fileList.committed(
                        activeFile, event.seq(), offset, end, event.at().toEpochMilli());
            } catch (IOException e) {
                fail(e);
                throw e;
            }
            lastSeq = event.seq();
            listeners.enqueue(event);
        } finally {
            appendLock.unlock();
        }
        return event;
    }

    /** See {@link LifecycleJournal#trim}. */
    int trim(Instant olderThan) throws IOException {
        long cutoff = olderThan.toEpochMilli();
        appendLock.lock();
        try {
            ensureWritable();
            List<JournalFile> expired = new ArrayList<>();
            for (JournalFile file : fileList.oldestFirst()) {
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
            fileList.removeAll(expired);
            // Oldest first: a crash in between leaves a contiguous suffix. Readers that already
            // opened a file keep reading it; readers that had only planned to get NoSuchFile.
            for (JournalFile file : expired) {
                Files.deleteIfExists(file.path);
            }
            DurableFiles.syncDirectory(dir);
            LOG.log(
                    System.Logger.Level.INFO,
                    "lifecycle journal: trimmed {0} file(s) with events older than {1};"
                            + " first retained seq is now {2}",
                    expired.size(),
                    olderThan,
                    fileList.firstRetainedSeq());
            return expired.size();
        } finally {
            appendLock.unlock();
        }
    }

    /** Starts the next file. Caller holds appendLock. */
    private void roll() throws IOException {
        JournalFile next = JournalDirectory.createFile(dir, lastSeq + 1, false);
        FileChannel channel = FileChannel.open(next.path, StandardOpenOption.WRITE);
        FileChannel previous = activeChannel;
        fileList.add(next);
        activeFile = next;
        activeChannel = channel;
        previous.close();
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
            throw new IOException(
                    "lifecycle journal in " + dir + " stopped after an I/O error and must be reopened: "
                            + failure.getMessage(),
                    failure);
        }
    }

    /** Fails once {@link #close} has run. Thread-safe. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("lifecycle journal in " + dir + " is closed");
        }
    }

    /** Seq of the newest durable event, 0 when none was ever appended. Thread-safe. */
    long lastSeq() {
        return lastSeq;
    }

    /** Closes the high-water file and the active file (unless a failure closed it). Idempotent. */
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
}
