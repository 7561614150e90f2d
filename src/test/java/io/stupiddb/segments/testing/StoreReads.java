package io.stupiddb.segments.testing;

import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleEventType;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.SegmentStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What tests read back from a store: every id a full scan returns, the journal's events of one type. */
public final class StoreReads {
    private StoreReads() {}

    public static List<UUID> scanAll(SegmentStore store) {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(ScanSpec.ALL)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }

    public static List<LifecycleEvent> events(SegmentStore store, LifecycleEventType type) throws IOException {
        return store.journal().eventsAfter(0, 10_000).stream()
                .filter(e -> e.type() == type)
                .toList();
    }
}
