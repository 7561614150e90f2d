package io.stupiddb.segments.service;

import io.quarkus.scheduler.Scheduled;
import io.stupiddb.segments.lifecycle.Scrubber;
import io.stupiddb.segments.service.config.SegmentsConfig;
import io.stupiddb.segments.store.ClassedStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduled lifecycle: rotation every {@code segments.rotation-check-interval}, archive then
 * retention every {@code segments.retention-check-interval}, a scrub pass every
 * {@code segments.scrub-interval}. Runs never overlap (SKIP); a run while the store is not open
 * does nothing.
 */
@ApplicationScoped
public class StoreJobs {
    private static final Logger LOG = Logger.getLogger(StoreJobs.class);

    private final StoreService service;
    /** Epoch millis when the retention job last completed; 0 before its first run. */
    private final AtomicLong lastRetentionRunMillis = new AtomicLong();

    /** {@code segments.scrub-rate}: bytes per second. */
    private final long scrubRate;

    @Inject
    public StoreJobs(StoreService service, SegmentsConfig config) {
        this.service = service;
        this.scrubRate = config.scrubRate();
    }

    /**
     * When the scheduled archive-and-retention job last completed without an error (epoch
     * millis; empty before its first run). Exported as
     * {@code segment_store_last_retention_run_timestamp_seconds}. Thread-safe.
     */
    public OptionalLong lastRetentionRunMillis() {
        long millis = lastRetentionRunMillis.get();
        return millis == 0 ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    // First run one period after start, not at start: recovery has just sealed the active segment,
    // so a run at start has nothing to do, and it would race the first writes (a size rotation
    // a client did not ask for, right after it wrote).
    @Scheduled(
            identity = "segment-rotation",
            every = "${segments.rotation-check-interval}",
            delayed = "${segments.rotation-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = StoreNotOpen.class)
    void rotate() throws Exception {
        service.store()
                .rotateIfDue()
                .forEach(info -> LOG.infof(
                        "sealed segment %s (%d documents, %d bytes)", info.id(), info.documents(), info.sizeBytes()));
    }

    @Scheduled(
            identity = "segment-retention",
            every = "${segments.retention-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = StoreNotOpen.class)
    void archiveAndEvict() throws Exception {
        ClassedStore store = service.store();
        List<String> archived = store.archiveDue();
        if (!archived.isEmpty()) {
            LOG.infof("archived segments %s", archived);
        }
        List<String> evicted = store.enforceRetention();
        if (!evicted.isEmpty()) {
            LOG.infof("evicted segments %s", evicted);
        }
        lastRetentionRunMillis.set(System.currentTimeMillis());
    }

    /**
     * A scrub pass ({@link io.stupiddb.segments.lifecycle.Scrubber}) at most
     * {@code segments.scrub-rate} bytes per second; the first one interval after start, so a
     * restart loop does not reread the disk each time.
     */
    @Scheduled(
            identity = "segment-scrub",
            every = "${segments.scrub-interval}",
            delayed = "${segments.scrub-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = StoreNotOpen.class)
    void scrub() {
        // Class by class: each store's pass is paced at segments.scrub-rate on its own.
        for (var store : service.store().stores()) {
            scrub(store.scrubber());
        }
    }

    private void scrub(Scrubber scrubber) {
        var pass = scrubber.pass(scrubRate);
        LOG.infof(
                "scrub pass %s: %d segments, %d bytes verified, %d damaged records and %d damaged segments found",
                pass.complete() ? "complete" : "stopped",
                pass.segments(),
                pass.bytes(),
                pass.damagedRecords(),
                pass.quarantined());
    }

    /** Skips scheduled runs while the store is recovering or shutting down. */
    @ApplicationScoped
    public static class StoreNotOpen implements Scheduled.SkipPredicate {
        private final StoreService service;

        @Inject
        public StoreNotOpen(StoreService service) {
            this.service = service;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !service.isOpen();
        }
    }
}
