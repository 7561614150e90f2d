package io.stupiddb.segments.store;

import io.stupiddb.segments.id.DocumentIdGenerator;
import io.stupiddb.segments.lifecycle.Rotator;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.ActiveSegment;
import io.stupiddb.segments.segment.InsufficientStorageException;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.NewDocument;
import io.stupiddb.segments.segment.SegmentClosedException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The write path of one {@link SegmentStore}: checks a batch (SPEC §1), appends it with fresh ids
 * to the active segment under the writer lock, waits for its fsync outside the lock, and forces
 * the active segment on the {@code fsync=interval} tick.
 *
 * <p>Thread-safety: appends serialise on the store's writer lock ({@link LiveSegments}); the wait
 * for durability does not hold it, so concurrent writers share fsyncs. The id generator is set by
 * recovery (or replaced by the one every retention class shares) before the store is handed out.
 */
final class StoreWriter {
    private static final System.Logger LOG = System.getLogger(StoreWriter.class.getName());

    private final LiveSegments live;
    private final Rotator rotator;
    private final BatchValidator validator;
    private final FreeDisk freeDisk;
    private final StoreCounters counters;
    private final InstantSource clock;
    /** Guarded by the writer lock; set before the store is handed out. */
    private DocumentIdGenerator ids;

    StoreWriter(
            LiveSegments live,
            Rotator rotator,
            BatchValidator validator,
            FreeDisk freeDisk,
            StoreCounters counters,
            InstantSource clock) {
        this.live = live;
        this.rotator = rotator;
        this.validator = validator;
        this.freeDisk = freeDisk;
        this.counters = counters;
        this.clock = clock;
    }

    /** Draws ids from {@code generator} from now on (recovery; the retention classes' shared one). */
    void useIds(DocumentIdGenerator generator) {
        live.writerLock().lock();
        try {
            ids = generator;
        } finally {
            live.writerLock().unlock();
        }
    }

    /**
     * Validates the whole batch (SPEC §1: size, timestamp window), then writes it with fresh ids
     * into the active segment and returns once it is as durable as {@code segments.fsync}
     * promises. All or nothing: a rejected document means nothing of the batch was written.
     *
     * @throws DocumentRejectedException naming the first bad document
     * @throws InsufficientStorageException when free disk is below {@code segments.min-free-disk} or the disk is full
     */
    List<WrittenDocument> write(List<DocumentToWrite> documents) throws IOException {
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        long now = clock.millis();
        long[] timestamps = timestamps(documents, now);
        freeDisk.check();
        return writeChecked(documents, timestamps, now);
    }

    /**
     * The event time of each document of a batch, checked against this store's retention and
     * clock skew (SPEC §1); nothing is written.
     *
     * @throws DocumentRejectedException naming the first bad document
     */
    long[] timestamps(List<DocumentToWrite> documents, long now) {
        return validator.timestamps(documents, now);
    }

    /** Throws {@link InsufficientStorageException} when free disk is below {@code segments.min-free-disk}. */
    void checkFreeDisk() throws IOException {
        freeDisk.check();
    }

    /** {@link #write} of a batch whose {@link #timestamps} and free disk were checked. */
    List<WrittenDocument> writeChecked(List<DocumentToWrite> documents, long[] timestamps, long now)
            throws IOException {
        Appended appended;
        live.writerLock().lock();
        try {
            appended = append(documents, timestamps, now, ids::next);
        } finally {
            live.writerLock().unlock();
        }
        return appended.awaitDurable();
    }

    /**
     * Appends a checked batch to the active segment with ids from {@code nextId} (increasing); the
     * caller holds the {@link #writerLock()} and waits for durability after releasing it
     * ({@link Appended#awaitDurable}), so concurrent writers share fsyncs.
     */
    Appended append(List<DocumentToWrite> documents, long[] timestamps, long now, Supplier<UUID> nextId)
            throws IOException {
        live.ensureOpen();
        ActiveSegment target = rotator.activeForWrite(now);
        List<WrittenDocument> written = new ArrayList<>(documents.size());
        List<NewDocument> batch = new ArrayList<>(documents.size());
        long bytes = 0;
        for (int i = 0; i < documents.size(); i++) {
            UUID id = nextId.get();
            byte[] source = documents.get(i).source();
            batch.add(new NewDocument(id, timestamps[i], source));
            written.add(new WrittenDocument(id, target.id(), timestamps[i]));
            bytes += source.length;
        }
        try {
            return new Appended(target, target.write(batch), written, bytes);
        } catch (IOException e) {
            throw InsufficientStorageException.whenDiskFull(
                    e, "disk full while writing to segment " + target.id() + ": nothing of the batch was written");
        }
    }

    /** A batch appended to {@code target}, durable once {@code ticket} is. */
    final class Appended {
        private final ActiveSegment target;
        private final long ticket;
        private final List<WrittenDocument> written;
        private final long bytes;

        private Appended(ActiveSegment target, long ticket, List<WrittenDocument> written, long bytes) {
            this.target = target;
            this.ticket = ticket;
            this.written = written;
            this.bytes = bytes;
        }

        /** Waits until the batch is as durable as {@code segments.fsync} promises; counts it. */
        List<WrittenDocument> awaitDurable() throws IOException {
            target.awaitDurable(ticket);
            counters.written(written.size(), bytes);
            return written;
        }
    }

    /** The single-writer lock ({@link LiveSegments}): held for appends and lifecycle steps. */
    java.util.concurrent.locks.ReentrantLock writerLock() {
        return live.writerLock();
    }

    /** The {@code fsync=interval} tick: forces what the active segment has written so far. */
    void syncActive() {
        Optional<ActiveSegment> active = live.current().active();
        if (active.isEmpty()) {
            return;
        }
        try {
            active.get().sync();
        } catch (SegmentClosedException ignored) {
            // sealed meanwhile: seal forced it
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "interval fsync of " + active.get().path() + " failed", e);
        }
    }
}
