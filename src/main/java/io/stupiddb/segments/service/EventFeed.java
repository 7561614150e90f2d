package io.stupiddb.segments.service;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.journal.LifecycleListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifecycle journal as one stream per subscriber (SPEC §5): every event after a given seq
 * from the journal, then the live ones as they are appended, each exactly once and in seq order.
 * Thread-safe; each subscription keeps its own position.
 *
 * <p>A subscription never ends on its own, so a stopping service ends them all: the graceful
 * shutdown (README "Stopping") waits for every request in flight, and an open stream would hold
 * it up to its timeout. When shutdown begins, open streams complete after the events they have
 * been sent, and a subscription opened during the shutdown delay gets the kept events and
 * completes; a consumer resumes with {@code Last-Event-ID} once the service is back, none
 * missed or repeated.
 */
@ApplicationScoped
public class EventFeed {
    /** Events read from the journal per page while catching up. */
    private static final int REPLAY_PAGE = 1000;

    private final StoreService service;
    private final Set<MultiEmitter<? super LifecycleEvent>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    @Inject
    public EventFeed(StoreService service) {
        this.service = service;
    }

    /** Events with a seq above {@code after}: the journal's first, then live ones, until cancelled. */
    public Multi<LifecycleEvent> after(long after) {
        LifecycleJournal journal = service.store().journal();
        return Multi.createFrom().emitter(emitter -> {
            // Subscribe first, then replay: an event appended in between arrives twice and the
            // seq filter drops the copy, so nothing is missed and nothing repeats.
            long[] delivered = {after};
            Object order = new Object();
            LifecycleListener live = event -> {
                synchronized (order) {
                    if (event.seq() > delivered[0]) {
                        delivered[0] = event.seq();
                        emitter.emit(event);
                    }
                }
            };
            journal.addListener(live);
            open.add(emitter);
            emitter.onTermination(() -> {
                journal.removeListener(live);
                open.remove(emitter);
            });
            try {
                while (true) {
                    List<LifecycleEvent> page;
                    synchronized (order) {
                        page = journal.eventsAfter(delivered[0], REPLAY_PAGE);
                        for (LifecycleEvent event : page) {
                            if (event.seq() > delivered[0]) {
                                delivered[0] = event.seq();
                                emitter.emit(event);
                            }
                        }
                    }
                    if (page.isEmpty()) {
                        break;
                    }
                }
            } catch (IOException e) {
                emitter.fail(new UncheckedIOException(e));
                return;
            }
            if (stopping) {
                emitter.complete(); // opened while shutting down: what is kept, then the end
            }
        });
    }

    /** Shutdown has begun (readiness is DOWN): ends every open stream, and those opened from now on after their replay. */
    void endStreams(@Observes ShutdownDelayInitiatedEvent shutdown) {
        stopping = true;
        for (MultiEmitter<? super LifecycleEvent> emitter : open) {
            emitter.complete();
        }
    }
}
