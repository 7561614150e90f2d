package io.stupiddb.segments.service.codec;

/**
 * One document of a request body, ready to store.
 *
 * @param msgpack   the document re-encoded as one MessagePack map (minimal headers, string keys,
 *                  no duplicate keys, at most {@link DocumentDecoder#MAX_DEPTH} levels deep)
 * @param timestamp the event time in epoch milliseconds from the top-level timestamp field, or null
 *                  when the document has none (the caller uses the ingest time)
 */
public record ParsedDocument(byte[] msgpack, Long timestamp) {
}
