package io.stupiddb.segments.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import io.stupiddb.segments.cold.ColdTier;
import io.stupiddb.segments.journal.EvictionReason;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.lifecycle.StoreCounters;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The meters of SPEC §6, registered once when the store is open; low-cardinality tags only
 * (state, reason). Counters read the store's own monotonic counters; gauges summarise the
 * segment list at scrape time; timers (with histogram buckets) are recorded by the API.
 *
 * <p>For alerts, the service also exports what they compare against, so rules need neither the
 * kubelet's volume statistics nor copies of the settings: free disk in the data directory
 * ({@code segment_store_disk_free_bytes}) and the size of its file system
 * ({@code segment_store_disk_capacity_bytes}), {@code segments.min-free-disk},
 * {@code segments.retention}, {@code segments.max-total-size} (only when set) and when the
 * retention job last completed ({@code segment_store_last_retention_run_timestamp_seconds},
 * NaN before its first run).
 */
@ApplicationScoped
public class StoreMetrics {
    private final MeterRegistry registry;
    private final StoreService service;
    private final StoreJobs jobs;
    /** The data directory's file system, looked up at the first scrape. */
    private volatile FileStore fileStore;

    private Timer writeTimer;
    private Timer getTimer;
    private Timer scanTimer;

    @Inject
    public StoreMetrics(MeterRegistry registry, StoreService service, StoreJobs jobs) {
        this.registry = registry;
        this.service = service;
        this.jobs = jobs;
    }

    void register(@Observes @Priority(20) StartupEvent event) {
        StoreCounters counters = service.store().counters();
        FunctionCounter.builder("segment.store.documents.written", counters, StoreCounters::documentsWritten)
                .description("Documents acknowledged")
                .register(registry);
        FunctionCounter.builder("segment.store.bytes.written", counters, StoreCounters::bytesWritten)
                .description("MessagePack bytes of acknowledged documents, before compression (bytes; no unit suffix:"
                        + " SPEC §6 names it segment_store_bytes_written_total)")
                .register(registry);
        FunctionCounter.builder("segment.store.corrupt.segments", counters, StoreCounters::corruptSegments)
                .description("Segment files that failed their checks and were quarantined")
                .register(registry);
        // Every retention class's store compacts and scrubs on its own: the figures are their sums.
        List<SegmentStore> stores = service.store().stores();
        FunctionCounter.builder(
                        "segment.store.compactions",
                        stores,
                        all -> sum(all, s -> s.compaction().compactedSegments()))
                .description("Sealed segments rewritten into format v2 (compressed, with the column index)")
                .register(registry);
        FunctionCounter.builder(
                        "segment.store.compaction.failures",
                        stores,
                        all -> sum(all, s -> s.compaction().failedCompactions()))
                .description("Compactions that failed (the segment stays uncompressed and is retried)")
                .register(registry);
        Gauge.builder(
                        "segment.store.compaction.pending",
                        stores,
                        all -> sum(all, s -> s.compaction().pendingSegments()))
                .description("Sealed segments queued for or in compaction")
                .register(registry);
        Gauge.builder(
                        "segment.store.compaction.reserved",
                        stores,
                        all -> sum(all, s -> s.compaction().reservedBytes()))
                .description("Bytes of disk reserved for compactions in progress (counted by the free-disk check)")
                .baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder(
                        "segment.store.scrub.verified",
                        stores,
                        all -> sum(all, s -> s.scrubber().bytesVerified()))
                .description("Segment record bytes verified by scrubbing (segments.scrub-rate paces it)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("segment.store.scrub.last.full.pass.timestamp", stores, all -> lastFullScrub(all) / 1000.0)
                .description("When a scrub pass last verified every sealed and archived segment, of every retention"
                        + " class (epoch; NaN before the first)")
                .baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder("segment.store.damaged.records", counters, StoreCounters::damagedRecords)
                .description("Records that failed their checks in segments that stay in service (their documents"
                        + " are unreadable, named in DOCUMENTS_DAMAGED events)")
                .register(registry);
        for (RotationReason reason : RotationReason.values()) {
            FunctionCounter.builder("segment.store.rotations", counters, c -> c.rotations(reason))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("Active segments sealed")
                    .register(registry);
        }
        for (EvictionReason reason : EvictionReason.values()) {
            FunctionCounter.builder("segment.store.evictions", counters, c -> c.evictions(reason))
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("Segments evicted")
                    .register(registry);
        }
        for (SegmentState state : SegmentState.values()) {
            String tag = state.name().toLowerCase(Locale.ROOT);
            gauge(
                    "segment.store.segments",
                    tag,
                    "Segments by state",
                    segments ->
                            segments.stream().filter(s -> s.state() == state).count());
            gauge(
                    "segment.store.disk",
                    tag,
                    "Bytes of segment files by state, on the data volume (archived objects in a bucket: not counted)",
                    segments -> segments.stream()
                            .filter(s -> s.state() == state)
                            .filter(s -> service.store().location(s.id()).isEmpty())
                            .mapToLong(SegmentInfo::sizeBytes)
                            .sum());
        }
        service.store().storesByClass().forEach(this::registerRetentionClass);
        service.store().coldTier().ifPresent(this::registerColdTier);
        Gauge.builder("segment.store.oldest.timestamp", this, m -> m.oldestTimestampSeconds())
                .description("Event time of the oldest document held (epoch seconds; NaN when empty)")
                .baseUnit("seconds")
                .register(registry);
        registerLimits(service.store().config());
        writeTimer = timer("segment.store.write", "Time to acknowledge a write request");
        getTimer = timer("segment.store.get", "Time to read one document by id");
        scanTimer = timer("segment.store.scan", "Time to serve one scan request");
    }

    private void registerLimits(StoreConfig config) {
        Gauge.builder("segment.store.disk.free", this, m -> m.freeDiskBytes())
                .description("Usable bytes in the data directory's file system (NaN when it cannot be read)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("segment.store.disk.capacity", this, m -> m.diskCapacityBytes(config.dataDir()))
                .description("Size of the data directory's file system (NaN when it cannot be read)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("segment.store.min.free.disk", config, c -> c.minFreeDisk())
                .description("segments.min-free-disk: below this much free disk writes are refused (507)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("segment.store.retention", config, c -> c.retention().toMillis() / 1000.0)
                .description("segments.retention: segments whose newest document is older are evicted")
                .baseUnit("seconds")
                .register(registry);
        config.maxTotalSize()
                .ifPresent(max -> Gauge.builder("segment.store.max.total.size", () -> max)
                        .description(
                                "segments.max-total-size: the oldest segments are evicted while the store is larger")
                        .baseUnit("bytes")
                        .register(registry));
        Gauge.builder(
                        "segment.store.last.retention.run.timestamp",
                        jobs,
                        j -> j.lastRetentionRunMillis().stream()
                                .mapToDouble(ms -> ms / 1000.0)
                                .findFirst()
                                .orElse(Double.NaN))
                .description("When the scheduled archive-and-retention job last completed (epoch seconds; NaN"
                        + " before its first run)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** One retention class's size on the data volume and retention (SPEC §12; {@code default} too). */
    private void registerRetentionClass(String name, SegmentStore store) {
        Gauge.builder(
                        "segment.store.class.disk",
                        store,
                        s -> s.segments().stream()
                                .filter(i -> s.location(i.id()).isEmpty())
                                .mapToLong(SegmentInfo::sizeBytes)
                                .sum())
                .tag("class", name)
                .description("Bytes of a retention class's segment files on the data volume (archived objects in a"
                        + " bucket: not counted)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        "segment.store.class.retention",
                        store,
                        s -> s.config().retention().toMillis() / 1000.0)
                .tag("class", name)
                .description("A retention class's retention (segments.retention-classes; default: segments.retention)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The object-store archive (SPEC §10): failed uploads, the read-back cache, index fetches and GETs. */
    private void registerColdTier(ColdTier cold) {
        FunctionCounter.builder("segment.store.archive.failures", cold, ColdTier::failures)
                .description("Uploads of archived segments to the object store that failed (retried with backoff;"
                        + " the local segment stays)")
                .register(registry);
        FunctionCounter.builder("segment.store.archive.downloads", cold, ColdTier::downloads)
                .description("Indexes of archived segments fetched from the object store (read-back cache misses)")
                .register(registry);
        FunctionCounter.builder("segment.store.archive.get.requests", cold, ColdTier::getRequests)
                .description("GET requests sent to the object store: indexes, records, scan blocks, hot segments")
                .register(registry);
        Gauge.builder("segment.store.archive.cache", cold, ColdTier::cacheBytes)
                .description("Bytes of the data volume used by the read-back cache (segments.archive.cache-size)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(
                        "segment.store.archive.objects",
                        cold,
                        c -> c.infos().stream()
                                .mapToLong(SegmentInfo::sizeBytes)
                                .sum())
                .description("Bytes of this node's archived segments in the object store")
                .baseUnit("bytes")
                .register(registry);
    }

    private double freeDiskBytes() {
        if (!service.isOpen()) {
            return Double.NaN;
        }
        try {
            return service.store().freeDiskBytes();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private double diskCapacityBytes(Path dataDir) {
        try {
            FileStore store = fileStore;
            if (store == null) {
                store = Files.getFileStore(dataDir);
                fileStore = store;
            }
            return store.getTotalSpace();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private void gauge(String name, String state, String description, ToDoubleFunction<List<SegmentInfo>> value) {
        Gauge.builder(
                        name,
                        this,
                        m -> m.service.isOpen()
                                ? value.applyAsDouble(m.service.store().segments())
                                : Double.NaN)
                .tag("state", state)
                .description(description)
                .baseUnit(name.endsWith("disk") ? "bytes" : null)
                .register(registry);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .register(registry);
    }

    private double oldestTimestampSeconds() {
        if (!service.isOpen()) {
            return Double.NaN;
        }
        return service.store().segments().stream()
                .map(SegmentInfo::minTimestamp)
                .filter(java.util.Objects::nonNull)
                .mapToLong(Long::longValue)
                .min()
                .stream()
                .mapToDouble(ms -> ms / 1000.0)
                .findFirst()
                .orElse(Double.NaN);
    }

    public Timer writeTimer() {
        return writeTimer;
    }

    public Timer getTimer() {
        return getTimer;
    }

    public Timer scanTimer() {
        return scanTimer;
    }

    private static double sum(List<SegmentStore> stores, ToDoubleFunction<SegmentStore> figure) {
        double total = 0;
        for (SegmentStore store : stores) {
            total += figure.applyAsDouble(store);
        }
        return total;
    }

    /** The oldest of the classes' last full scrub passes (ms), NaN while one class has had none. */
    private static double lastFullScrub(List<SegmentStore> stores) {
        double oldest = Double.POSITIVE_INFINITY;
        for (SegmentStore store : stores) {
            var last = store.scrubber().lastFullPassMillis();
            if (last.isEmpty()) {
                return Double.NaN;
            }
            oldest = Math.min(oldest, last.getAsLong());
        }
        return oldest;
    }
}
