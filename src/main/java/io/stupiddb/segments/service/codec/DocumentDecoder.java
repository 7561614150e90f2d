package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonFactory;
import io.stupiddb.segments.service.config.SegmentsConfig;
import io.stupiddb.segments.store.DocumentToWrite;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * Turns a {@code POST /documents} body into documents ready to store: each one re-encoded as a
 * single MessagePack map in canonical encoding plus its event time (see {@link DocumentToWrite}). JSON
 * and NDJSON bodies are streamed, never buffered whole; a MessagePack body is read whole (within the
 * request limit) so that documents already canonical are stored as sent. The whole batch is decoded
 * before this returns, and any invalid element throws
 * {@link InvalidDocumentException} (nothing partial is returned), an oversized body
 * {@link RequestTooLargeException}.
 *
 * <p>Bodies (SPEC §2): JSON is one object or a non-empty array of objects; NDJSON one object per
 * non-blank line; MessagePack one map or a non-empty array of maps. Rules (docs/API-BODIES.md):
 * <ul>
 * <li>nesting deeper than {@value #MAX_DEPTH} levels (the document's root object is level 1) is
 *     MALFORMED; parsing is iterative, so 10,000 levels cost no stack;</li>
 * <li>duplicate keys in one object are MALFORMED; keys must be strings; strings must be valid
 *     UTF-8 (JSON: also no unpaired {@code \\uD800} escapes);</li>
 * <li>integers must fit int64 or uint64; floats must be finite; MessagePack binary and extension
 *     values are refused (UNSUPPORTED_VALUE): JSON responses could not return them faithfully;</li>
 * <li>a document whose MessagePack encoding exceeds {@code segments.max-document-size} is TOO_LARGE;
 *     a MessagePack length header that claims more than is sent is MALFORMED, and nothing is
 *     allocated beyond the bytes that really arrive (at most the document limit);</li>
 * <li>the top-level field {@code segments.timestamp-field} gives the event time: an RFC 3339 string
 *     ({@link Timestamps#parseRfc3339}) or an integer of epoch milliseconds; absent → the ingest time; anything
 *     else (null, float, boolean, object, bad string) is BAD_TIMESTAMP. The field stays in the
 *     document.</li>
 * </ul>
 * The rules all formats share (depth, duplicate keys, event time, document size, error locations)
 * live in {@link DecodeState}, one per call; {@link JsonBodyReader} reads JSON and NDJSON,
 * {@link MsgpackBodyReader} MessagePack.
 *
 * <p>Thread-safe: every call has its own state; the Jackson factory is shared (it is thread-safe).
 */
public final class DocumentDecoder {

    /** Deepest nesting allowed in a document; the root object is level 1. */
    public static final int MAX_DEPTH = 64;

    private final String timestampField;
    private final long maxDocumentSize;
    private final long maxRequestSize;
    private final JsonFactory json;

    /**
     * @param timestampField  top-level field holding the event time ({@code segments.timestamp-field})
     * @param maxDocumentSize largest MessagePack encoding of one document ({@code segments.max-document-size})
     * @param maxRequestSize  largest request body ({@code segments.max-request-size})
     */
    public DocumentDecoder(String timestampField, long maxDocumentSize, long maxRequestSize) {
        this.timestampField = Objects.requireNonNull(timestampField, "timestampField");
        if (maxDocumentSize <= 0 || maxRequestSize <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxDocumentSize + ", " + maxRequestSize);
        }
        this.maxDocumentSize = maxDocumentSize;
        this.maxRequestSize = maxRequestSize;
        this.json = JsonBodyReader.factory(maxDocumentSize);
    }

    /** A decoder with the limits and timestamp field of the configuration. */
    public static DocumentDecoder of(SegmentsConfig config) {
        return new DocumentDecoder(config.timestampField(), config.maxDocumentSize(), config.maxRequestSize());
    }

    /**
     * Decodes a whole request body. Does not close {@code body}.
     *
     * @return the documents in body order (unmodifiable, never empty)
     * @throws InvalidDocumentException  when the body or any element is invalid
     * @throws RequestTooLargeException  when the body exceeds {@code segments.max-request-size}
     * @throws IOException               when reading the body fails (client gone, …)
     */
    public List<DocumentToWrite> decode(InputStream body, BodyFormat format) throws IOException {
        Objects.requireNonNull(format, "format");
        LimitedInputStream in = new LimitedInputStream(Objects.requireNonNull(body, "body"), maxRequestSize);
        DecodeState state = new DecodeState(timestampField, maxDocumentSize);
        switch (format) {
            case JSON -> new JsonBodyReader(json, state).readJson(in);
            case NDJSON -> new JsonBodyReader(json, state).readNdjson(in);
            case MSGPACK -> new MsgpackBodyReader(state).read(in);
        }
        return state.documents();
    }
}
