package io.stupiddb.segments.segment;

import java.nio.ByteBuffer;

/**
 * Decides on a document's MessagePack bytes (position..limit is one map) whether a scan
 * returns it. Must not keep the buffer: it is reused or unmapped after the call.
 */
@FunctionalInterface
public interface RecordFilter {
    RecordFilter ALL = source -> true;

    boolean test(ByteBuffer source);
}
