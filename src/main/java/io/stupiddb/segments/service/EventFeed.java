package io.stupiddb.segments.service;

import io.smallrye.mutiny.Multi;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.journal.LifecycleListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The lifecycle journal as one stream per subscriber (SPEC §5): every event after a given seq
 * from the journal, then the live ones as they are appended, each exactly once and in seq order.
 * Thread-safe; each subscription keeps its own position.
 */
@ApplicationScoped
public class EventFeed {
    /** Events read from the journal per page while catching up. */
    private static final int REPLAY_PAGE = 1000;

    private final StoreService service;

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
            emitter.onTermination(() -> journal.removeListener(live));
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
            }
        });
    }
}
