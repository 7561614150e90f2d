package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.StoredDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One page of a scan: up to {@code limit} documents in id order, the id to continue after (null
 * when the scan is complete), and the archived segments left out because the object store could
 * not serve them (only with {@code partial}; empty otherwise).
 */
public record ScanPage(List<StoredDocument> documents, UUID next, List<String> skipped) {
    public ScanPage {
        skipped = List.copyOf(skipped);
    }

    public ScanPage(List<StoredDocument> documents, UUID next) {
        this(documents, next, List.of());
    }

    /**
     * Up to {@code limit} documents of {@code cursor} (closed here), whether more follow, and what
     * {@code skipped} names once the page is read (the archived segments a partial scan left out).
     */
    static ScanPage read(DocumentCursor cursor, int limit, Supplier<List<String>> skipped) {
        List<StoredDocument> documents = new ArrayList<>(Math.min(limit, 1024));
        try (cursor) {
            while (documents.size() < limit && cursor.advance()) {
                documents.add(cursor.document());
            }
            boolean more = documents.size() == limit && cursor.advance();
            return new ScanPage(documents, more ? documents.getLast().id() : null, skipped.get());
        }
    }
}
