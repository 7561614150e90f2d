package io.stupiddb.segments.lifecycle;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.format.CorruptRecordException;
import io.stupiddb.segments.format.CorruptSegmentException;
import io.stupiddb.segments.format.DecompressionContexts;
import io.stupiddb.segments.format.DurableFiles;
import io.stupiddb.segments.format.FormatVersion;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.LiveSegments;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SealedSegmentWriter;
import io.stupiddb.segments.segment.SegmentClosedException;
import io.stupiddb.segments.segment.SegmentFiles;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Turns freshly sealed segments into their compact form in the background: the writer seals an
 * active segment as it was written (format v1, uncompressed: an index and a footer appended, no
 * compression on the write path), and this rewrites it as format v2 — records compressed one by
 * one with the day's zstd dictionary, the column index of its hot fields — and swaps the result in
 * under the same id.
 *
 * <p>Crash safety, step by step: the v2 file is written to {@code tmp/<id>.seg} and fsynced; under
 * the writer lock, if the segment is still the one that was read, it is renamed over
 * {@code <id>.seg} (one atomic rename: the directory holds the old file or the new one, both
 * complete), the directory is fsynced, the new file opened and published, and the old mapping
 * closed once its last reader leaves (its file is already unlinked). Start-up empties {@code tmp/}
 * and queues every sealed v1 file with codec none again, so a crash at any step loses nothing and
 * at worst repeats the work. Nothing is journaled: ids, documents and times do not change.
 *
 * <p>Disk: a rewrite needs at most about the size of the file it rewrites; until it is done that
 * size is {@link #reservedBytes() reserved}, and the free-disk check of writes counts it. A rewrite
 * that would take the disk below {@code segments.min-free-disk} is not started; the segment stays
 * uncompressed (and fully served) and is offered again by the next retention pass.
 *
 * <p>A segment found damaged while it is read for the rewrite is quarantined, as a read finding the
 * damage would (the compaction reads every record: a full check of each new segment).
 *
 * <p>Thread-safety: one compaction thread; {@link #offer} from any thread (it only queues).
 */
public final class Compactor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Compactor.class.getName());

    private final LiveSegments live;
    private final DictionaryTrainer dictionaries;
    private final Settings settings;
    private final InstantSource clock;
    private final DecompressionContexts contexts;
    private final LongSupplier freeDisk;
    private final Quarantine quarantine;
    private final DamagedRecords damaged;
    /** Segments whose compaction met a damaged record: not offered again (a salvage rewrites them). */
    private final java.util.Set<String> damagedSegments = ConcurrentHashMap.newKeySet();
    /** Segments queued or being compacted, with the bytes their rewrite may need. */
    private final Map<String, Long> pending = new ConcurrentHashMap<>();

    private final AtomicLong compacted = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Background priority: compaction takes the CPU that writes, gets and scans leave over. */
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(BackgroundThreads.factory("segment-compactor"));

    /**
     * @param tmpDir      where the v2 file is written before the rename
     * @param compression codec of compacted segments' records
     * @param level       zstd level
     * @param minFreeDisk free bytes a rewrite must leave
     * @param columns     which fields become columns
     */
    public record Settings(Path tmpDir, Codec compression, int level, long minFreeDisk, ColumnSettings columns) {}

    /**
     * @param freeDisk usable bytes in the data directory now (Long.MAX_VALUE when unknown is not allowed:
     *                 report 0 and the rewrite waits)
     */
    public Compactor(
            LiveSegments live,
            DictionaryTrainer dictionaries,
            Settings settings,
            InstantSource clock,
            DecompressionContexts contexts,
            LongSupplier freeDisk,
            Quarantine quarantine,
            DamagedRecords damaged) {
        this.quarantine = quarantine;
        this.damaged = damaged;
        this.live = live;
        this.dictionaries = dictionaries;
        this.settings = settings;
        this.clock = clock;
        this.contexts = contexts;
        this.freeDisk = freeDisk;
    }

    /** Whether {@code segment} is a sealed v1 file without compression: the writer's fast seal. */
    public static boolean needsCompaction(SealedSegment segment) {
        return segment.state() == SegmentState.SEALED
                && segment.formatVersion() == FormatVersion.V1
                && segment.header().codec() == Codec.NONE
                && segment.footer().documents() > 0;
    }

    /** Queues {@code segment} for compaction when it needs it and is not queued yet. */
    public void offer(SealedSegment segment) {
        if (!needsCompaction(segment) || worker.isShutdown() || damagedSegments.contains(segment.id())) {
            return;
        }
        if (pending.putIfAbsent(segment.id(), segment.sizeBytes()) == null) {
            String id = segment.id();
            try {
                worker.execute(() -> runQueued(id));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.remove(id); // closing
            }
        }
    }

    /** Queues every sealed segment of the store that needs compaction (start-up, retention passes). */
    public void offerAll() {
        live.current().sealed().forEach(this::offer);
    }

    /** Bytes the queued and running rewrites may still need. */
    public long reservedBytes() {
        long sum = 0;
        for (long bytes : pending.values()) {
            sum += bytes;
        }
        return sum;
    }

    /** Segments queued or being compacted. */
    public int pendingSegments() {
        return pending.size();
    }

    public long compactedSegments() {
        return compacted.get();
    }

    public long failedCompactions() {
        return failures.get();
    }

    /**
     * Waits until nothing is queued or running (tests, benchmarks, a settle step); true when idle,
     * false at the timeout or when the waiting thread is interrupted (its flag stays set).
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void runQueued(String id) {
        try {
            compact(id);
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "compaction of segment " + id + " failed; it stays uncompressed and is retried", e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Compacts one segment now, on the calling thread. False when there is nothing to do: the
     * segment is gone, already compact, was evicted, archived or replaced meanwhile, the store is
     * closing, or the disk is too full to start.
     */
    public boolean compact(String segmentId) throws IOException {
        if (live.isClosed()) {
            return false;
        }
        Optional<SealedSegment> found = live.current().sealed(segmentId);
        if (found.isEmpty() || !needsCompaction(found.get())) {
            return false;
        }
        SealedSegment original = found.get();
        if (freeDisk.getAsLong() - original.sizeBytes() < settings.minFreeDisk()) {
            LOG.log(
                    Level.WARNING,
                    "not compacting segment " + segmentId + " now: its rewrite could take free disk below"
                            + " segments.min-free-disk; it stays uncompressed");
            return false;
        }
        Path tmp = settings.tmpDir().resolve(segmentId + SegmentFiles.SEALED);
        Files.deleteIfExists(tmp);
        boolean zstd = settings.compression() == Codec.ZSTD;
        SegmentHeader header = SegmentHeader.create(
                segmentId,
                original.header().createdAtMillis(),
                settings.compression(),
                zstd ? settings.level() : 0,
                original.header().nodeId(),
                null);
        try {
            SealedSegmentWriter.write(
                    original,
                    header,
                    settings.columns(),
                    samples -> dictionaries.forSegment(clock.millis(), samples),
                    tmp);
        } catch (SegmentClosedException e) {
            Files.deleteIfExists(tmp);
            return false; // evicted or archived while we read it
        } catch (CorruptRecordException e) {
            // Reading every record is a full check: damage found here is handled as a read finding it.
            // A damaged record is contained (its document named lost); the segment stays in service,
            // uncompressed, until a salvage rewrites it.
            Files.deleteIfExists(tmp);
            damagedSegments.add(segmentId);
            damaged.found(original, e);
            return false;
        } catch (CorruptSegmentException e) {
            Files.deleteIfExists(tmp);
            quarantine.segment(segmentId, e);
            return false;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        live.writerLock().lock();
        try {
            if (live.isClosed() || live.current().sealed(segmentId).orElse(null) != original) {
                Files.deleteIfExists(tmp);
                return false;
            }
            Path target = original.path();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(target.getParent());
            DurableFiles.syncDirectory(settings.tmpDir());
            SealedSegment compact = SealedSegment.open(target, SegmentState.SEALED, contexts);
            live.publish(live.current().replaced(compact));
            original.close(); // the last reader unmaps it; its file is already gone
            compacted.incrementAndGet();
            return true;
        } finally {
            live.writerLock().unlock();
        }
    }

    /** Stops the compaction thread: queued work is dropped (start-up queues it again). */
    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "compaction did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.clear();
    }
}
