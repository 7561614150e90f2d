package io.stupiddb.segments.segment;

import java.util.UUID;

/** A document read back: id, event time, the segment holding it and its MessagePack bytes (a copy). */
public record StoredDocument(UUID id, long timestamp, String segmentId, byte[] source) {}
