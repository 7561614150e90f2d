package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.StoredDocument;

import java.util.List;
import java.util.UUID;

/**
 * One page of a scan: up to {@code limit} documents in id order, and the id to continue after,
 * or null when the scan is complete.
 */
public record ScanPage(List<StoredDocument> documents, UUID next) {}
