package io.stupiddb.segments.journal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The journal's in-process listeners and the events not yet delivered to them.
 *
 * <p>Invariants: each durable event is queued once, by the appender under its append lock, so
 * queue order is seq order; listeners see each event once, in that order, one event at a time.
 * A listener that throws is logged and skipped: the event is already durable.
 *
 * <p>Thread-safety: thread-safe. {@code deliveryLock} admits one draining thread at a time; the
 * listener list is copy-on-write, so adding or removing never waits for a delivery.
 */
final class JournalListeners {

    private static final System.Logger LOG = System.getLogger(LifecycleJournal.class.getName());

    private final CopyOnWriteArrayList<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<LifecycleEvent> undelivered = new ConcurrentLinkedQueue<>();
    private final ReentrantLock deliveryLock = new ReentrantLock();

    /** Adds a listener (once; adding it again does nothing). */
    void add(LifecycleListener listener) {
        listeners.addIfAbsent(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener; events already being delivered may still reach it. */
    void remove(LifecycleListener listener) {
        listeners.remove(listener);
    }

    /** Queues a durable event for {@link #deliver}. Caller holds the append lock, so events queue in seq order. */
    void enqueue(LifecycleEvent event) {
        undelivered.add(event);
    }

    /**
     * Delivers queued events in seq order. One thread drains at a time. When this returns, the
     * caller's own event has been delivered — unless the caller is a listener appending from
     * inside a delivery, in which case the delivery loop further up its stack delivers it next.
     */
    void deliver() {
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
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "lifecycle journal: listener " + listener + " failed on event " + event.seq()
                                        + "; the event is durable, delivery goes on",
                                e);
                    }
                }
            }
        } finally {
            deliveryLock.unlock();
        }
    }
}
