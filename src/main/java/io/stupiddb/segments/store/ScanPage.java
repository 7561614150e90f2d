package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.StoredDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One page of a scan: up to {@code limit} documents in id order, and the id to continue after,
 * or null when the scan is complete.
 */
public record ScanPage(List<StoredDocument> documents, UUID next) {

    /** Up to {@code limit} documents of {@code cursor} (closed here), and whether more follow. */
    static ScanPage read(DocumentCursor cursor, int limit) {
        List<StoredDocument> documents = new ArrayList<>(Math.min(limit, 1024));
        try (cursor) {
            while (documents.size() < limit && cursor.advance()) {
                documents.add(cursor.document());
            }
            boolean more = documents.size() == limit && cursor.advance();
            return new ScanPage(documents, more ? documents.getLast().id() : null);
        }
    }
}
