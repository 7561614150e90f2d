package io.stupiddb.segments.testing;

import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.SegmentStore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Scans a whole store for tests: the ids a scan returns, in order. */
public final class StoreScans {
    private StoreScans() {}

    public static List<UUID> ids(SegmentStore store, ScanSpec spec) {
        List<UUID> ids = new ArrayList<>();
        try (DocumentCursor cursor = store.scan(spec)) {
            while (cursor.advance()) {
                ids.add(cursor.id());
            }
        }
        return ids;
    }
}
