package io.stupiddb.segments.testing;

import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.RecordFilter;
import io.stupiddb.segments.segment.ScanSpec;
import io.stupiddb.segments.store.ScanPage;
import io.stupiddb.segments.store.SegmentStore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

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

    /**
     * The ids of every page of a scan of {@code [from, to)}, {@code pageSize} at a time, each page
     * continuing after the previous page's {@code next} (a store's {@code page} method).
     */
    public static List<UUID> paged(BiFunction<ScanSpec, Integer, ScanPage> page, long from, long to, int pageSize) {
        List<UUID> ids = new ArrayList<>();
        UUID after = null;
        do {
            ScanPage answer = page.apply(new ScanSpec(from, to, after, RecordFilter.ALL), pageSize);
            answer.documents().forEach(doc -> ids.add(doc.id()));
            after = answer.next();
        } while (after != null);
        return ids;
    }
}
