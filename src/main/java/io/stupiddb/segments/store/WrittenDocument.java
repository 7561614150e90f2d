package io.stupiddb.segments.store;

import java.util.UUID;

/** What a write acknowledged: the id assigned, the segment holding the document, its event time. */
public record WrittenDocument(UUID id, String segmentId, long timestamp) {}
