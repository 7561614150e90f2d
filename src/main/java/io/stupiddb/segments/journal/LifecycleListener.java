package io.stupiddb.segments.journal;

/**
 * Receives lifecycle events in-process, after they are durable in the {@link LifecycleJournal}.
 *
 * <p>Contract: called once per event, in {@code seq} order, one event at a time (never
 * concurrently for one journal), on the thread of some appender. Implementations should be quick;
 * an exception is logged and does not affect the append (the event is already durable) or other
 * listeners. A listener that appends to the journal itself gets its own event delivered after the
 * current one, not nested in it.
 */
@FunctionalInterface
public interface LifecycleListener {

    void onEvent(LifecycleEvent event);
}
