package io.stupiddb.segments.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.stupiddb.segments.journal.JournalCorruptedException;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.service.config.SegmentsConfig;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.StoreConfig;
import io.stupiddb.segments.store.StoreLockedException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.Set;

/**
 * Owns the one {@link ClassedStore} (the store of each retention class) of this process: opened (and recovered) at start-up,
 * closed in order at shutdown (stop taking writes → seal the active segment → fsync → close).
 * Lifecycle events of the journal are also fired as CDI events ({@code @Observes LifecycleEvent}).
 * Until the store is open, {@link #store()} throws {@link StoreUnavailableException} (503) and
 * readiness is DOWN.
 */
@ApplicationScoped
public class StoreService {
    private static final Logger LOG = Logger.getLogger(StoreService.class);

    private final SegmentsConfig config;
    private final Event<LifecycleEvent> lifecycleEvents;
    private volatile ClassedStore store;
    private volatile String failure;
    private volatile boolean stopping;

    @Inject
    public StoreService(SegmentsConfig config, Event<LifecycleEvent> lifecycleEvents) {
        this.config = config;
        this.lifecycleEvents = lifecycleEvents;
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        StoreConfig storeConfig = config.toStoreConfig();
        long start = System.nanoTime();
        try {
            ClassedStore opened = ClassedStore.open(storeConfig, InstantSource.system());
            opened.journal().addListener(lifecycleEvents::fire);
            store = opened;
            LOG.infof(
                    "segment store open in %s: %d segments, node %d, recovered in %d ms",
                    storeConfig.dataDir().toAbsolutePath(),
                    opened.segments().size(),
                    storeConfig.nodeId(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (StoreLockedException | JournalCorruptedException e) {
            // An operator's problem with segments.data-dir and a known fix, not a bug: one line, no
            // stack trace. Quarkus prints a ConfigurationException that is the root cause as its
            // message alone and exits with 1. (A PreventFurtherStepsException thrown here would
            // leave the process running with nothing started.)
            failure = e.getMessage();
            throw new ConfigurationException(
                    "could not open the segment store: " + e.getMessage()
                            + (e instanceof JournalCorruptedException
                                    ? " (stop the service and run segment-tool journal-repair " + storeConfig.dataDir()
                                            + ")"
                                    : ""),
                    Set.of("segments.data-dir"));
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
            LOG.errorf(
                    e,
                    "could not open the segment store in %s",
                    storeConfig.dataDir().toAbsolutePath());
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    void onStop(@Observes @Priority(10) ShutdownEvent event) {
        close();
    }

    /** Stops taking writes, seals the active segment and closes the store. Idempotent. */
    public synchronized void close() {
        stopping = true;
        ClassedStore current = store;
        if (current == null) {
            return;
        }
        try {
            current.close();
            LOG.info("segment store closed; active segment sealed");
        } catch (IOException e) {
            LOG.error("closing the segment store failed; the active segment is recovered at the next start", e);
        }
    }

    /** The open store. @throws StoreUnavailableException while recovering or shutting down */
    public ClassedStore store() {
        ClassedStore current = store;
        if (current == null || stopping) {
            throw new StoreUnavailableException(
                    stopping
                            ? "the service is shutting down"
                            : failure != null
                                    ? "the segment store failed to open: " + failure
                                    : "the segment store is recovering its data directory");
        }
        return current;
    }

    /** True once recovery is done and until shutdown begins. */
    public boolean isOpen() {
        return store != null && !stopping;
    }

    public SegmentsConfig config() {
        return config;
    }
}
