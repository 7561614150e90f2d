package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.StoredDocument;

import java.util.List;
import java.util.UUID;

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
}
