package io.stupiddb.segments.journal;

import io.stupiddb.segments.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.stupiddb.segments.journal.JournalFixtures.T0;
import static io.stupiddb.segments.journal.JournalFixtures.appendMany;
import static io.stupiddb.segments.journal.JournalFixtures.draft;
import static io.stupiddb.segments.journal.JournalFixtures.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link JournalListeners}: each event once, in seq order, after it is durable; failing and
 * appending listeners.
 */
class JournalListenersTest {

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void listenersSeeEachEventOnceInOrderAfterItIsReadable() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            List<LifecycleEvent> seen = Collections.synchronizedList(new ArrayList<>());
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            LifecycleListener listener = event -> {
                try {
                    // Durable first: the event is already in the file when the listener runs.
                    if (!journal.eventsAfter(event.seq() - 1, 1).equals(List.of(event))) {
                        problems.add("event " + event.seq() + " not readable yet");
                    }
                } catch (IOException e) {
                    problems.add(e.toString());
                }
                seen.add(event);
            };
            journal.addListener(listener);
            journal.addListener(listener); // no double delivery
            journal.addListener(event -> {
                throw new IllegalStateException("a failing listener must not break the others");
            });
            List<LifecycleEvent> appended = appendMany(journal, 0, 20);
            assertEquals(appended, seen);
            assertEquals(List.of(), problems);

            journal.removeListener(listener);
            journal.append(draft(20));
            assertEquals(20, seen.size());
        }
    }

    @Test
    void listenerThatAppendsSeesEventsInSeqOrder() throws IOException {
        try (var journal = new LifecycleJournal(tmp, clock)) {
            List<Long> first = new ArrayList<>();
            List<Long> second = new ArrayList<>();
            journal.addListener(event -> {
                first.add(event.seq());
                if (event.type() == LifecycleEventType.SEGMENT_EVICTED) {
                    try {
                        journal.append(LifecycleEvent.Draft.sealed("follow-up-" + event.seq(), null, null, 0));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            journal.addListener(event -> second.add(event.seq()));
            journal.append(LifecycleEvent.Draft.evicted("s", EvictionReason.MANUAL, null, null, 1));
            journal.append(draft(0));
            assertEquals(List.of(1L, 2L, 3L), first);
            assertEquals(List.of(1L, 2L, 3L), second);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JournalListeners on its own

    @Test
    void deliverDrainsTheQueueInOrderToEachListenerOnce() {
        JournalListeners listeners = new JournalListeners();
        List<Long> first = new ArrayList<>();
        List<Long> second = new ArrayList<>();
        LifecycleListener once = event -> first.add(event.seq());
        listeners.add(once);
        listeners.add(once); // no double delivery
        listeners.add(event -> second.add(event.seq()));
        assertThrows(NullPointerException.class, () -> listeners.add(null));

        listeners.deliver(); // nothing queued: nothing to do
        assertEquals(List.of(), first);
        for (long seq = 1; seq <= 3; seq++) {
            listeners.enqueue(event(seq));
        }
        listeners.deliver();
        listeners.deliver();
        assertEquals(List.of(1L, 2L, 3L), first);
        assertEquals(List.of(1L, 2L, 3L), second);

        listeners.remove(once);
        listeners.enqueue(event(4));
        listeners.deliver();
        assertEquals(List.of(1L, 2L, 3L), first);
        assertEquals(List.of(1L, 2L, 3L, 4L), second);
    }

    @Test
    void aThrowingListenerNeitherStopsTheOthersNorLosesLaterEvents() {
        JournalListeners listeners = new JournalListeners();
        List<Long> seen = new ArrayList<>();
        listeners.add(event -> {
            throw new IllegalStateException("listener bug");
        });
        listeners.add(event -> seen.add(event.seq()));
        listeners.enqueue(event(1));
        listeners.enqueue(event(2));
        listeners.deliver();
        assertEquals(List.of(1L, 2L), seen);
    }

    @Test
    void anEventQueuedFromInsideADeliveryFollowsTheCurrentOneInsteadOfNestingInIt() {
        JournalListeners listeners = new JournalListeners();
        List<String> calls = new ArrayList<>();
        listeners.add(event -> {
            calls.add("a" + event.seq());
            if (event.seq() == 1) {
                listeners.enqueue(event(2));
                listeners.deliver(); // returns at once: the loop below us delivers seq 2
                calls.add("a1 done");
            }
        });
        listeners.add(event -> calls.add("b" + event.seq()));
        listeners.enqueue(event(1));
        listeners.deliver();
        assertEquals(List.of("a1", "a1 done", "b1", "a2", "b2"), calls);
    }
}
