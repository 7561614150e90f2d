package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.stupiddb.segments.segment.DocumentCursor;
import io.stupiddb.segments.segment.StoredDocument;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes stored documents in the API shape {@code {"id","timestamp","segment","source":{…}}}
 * ({@code timestamp} as RFC 3339 UTC with milliseconds, {@link Timestamps#format}) to any Jackson
 * {@link JsonGenerator}: one from {@link #jsonFactory()} writes JSON, one from
 * {@link #msgpackFactory()} MessagePack. The source is walked from its MessagePack bytes straight into
 * the generator ({@link SourceWriter}: no parser, Map or JsonNode in between).
 *
 * <p>Sources are trusted: they were produced by {@link DocumentDecoder} (string keys, finite numbers,
 * no binary or extension values). A MessagePack generator buffers one root value until it is closed
 * (msgpack needs container sizes up front); JSON generators stream. Thread-safe (the factories are).
 */
public final class DocumentEncoder {

    /**
     * Characters outside the Basic Multilingual Plane (emoji, …) are written as their 4 UTF-8 bytes,
     * not as a pair of {@code \\uD83D\\uDE00} escapes (Jackson's default): the same whether a string
     * comes from a String or, as sources do, straight from stored UTF-8 ({@link SourceWriter}).
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private static final MessagePackFactory MSGPACK = msgpack();

    private static MessagePackFactory msgpack() {
        MessagePackFactory factory = new MessagePackFactory();
        // No thread-local buffers: generators and parsers may be open on one thread at once.
        factory.setReuseResourceInGenerator(false);
        factory.setReuseResourceInParser(false);
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return factory;
    }

    private DocumentEncoder() {}

    /** JSON generators that do not close the target stream. */
    public static JsonFactory jsonFactory() {
        return JSON;
    }

    /** MessagePack generators that do not close the target stream. */
    public static JsonFactory msgpackFactory() {
        return MSGPACK;
    }

    /** Writes {@code {"id","timestamp","segment","source"}} as the next value of {@code gen}. */
    public static void writeDocument(JsonGenerator gen, String id, long timestamp, String segment, byte[] source)
            throws IOException {
        gen.writeStartObject();
        gen.writeStringField("id", id);
        gen.writeStringField("timestamp", Timestamps.format(timestamp));
        gen.writeStringField("segment", segment);
        gen.writeFieldName("source");
        writeSource(gen, source);
        gen.writeEndObject();
    }

    /** {@link #writeDocument(JsonGenerator, String, long, String, byte[])} for a document read from the store. */
    public static void writeDocument(JsonGenerator gen, StoredDocument doc) throws IOException {
        writeDocument(gen, doc.id().toString(), doc.timestamp(), doc.segmentId(), doc.source());
    }

    /**
     * Writes {@code {"id","timestamp","segment","source"}} as MessagePack to {@code out} with the
     * source as its stored bytes: the envelope is packed directly and the source copied, not parsed
     * and packed again (msgpack-jackson's generator would hold the whole value as objects until it
     * is closed). The source is first checked to be exactly one MessagePack value, so a damaged one
     * is an {@link IOException} before anything is written. Does not close {@code out}.
     */
    public static void writeMsgpackDocument(OutputStream out, StoredDocument doc) throws IOException {
        byte[] source = doc.source();
        requireOneValue(source);
        MessagePacker packer = MessagePack.newDefaultPacker(out);
        packer.packMapHeader(4);
        packer.packString("id").packString(doc.id().toString());
        packer.packString("timestamp").packString(Timestamps.format(doc.timestamp()));
        packer.packString("segment").packString(doc.segmentId());
        packer.packString("source").writePayload(source);
        packer.flush(); // not close(): that would close the response stream
    }

    /** Checks that {@code source} holds exactly one whole MessagePack value, by skipping it once. */
    private static void requireOneValue(byte[] source) throws IOException {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(source)) {
            if (!unpacker.hasNext()) {
                throw new IOException("empty document source");
            }
            unpacker.skipValue();
            if (unpacker.hasNext()) {
                throw new IOException("document source has data after its first value");
            }
        } catch (MessagePackException e) { // truncated or malformed: msgpack-core throws unchecked
            throw new IOException("document source is not one whole MessagePack value: " + e.getMessage(), e);
        }
    }

    /**
     * Streams one MessagePack value (a stored source) into {@code gen} ({@link SourceWriter}).
     *
     * @throws IOException also when {@code source} is not exactly one MessagePack value
     */
    public static void writeSource(JsonGenerator gen, byte[] source) throws IOException {
        SourceWriter.write(gen, source);
    }

    /**
     * Writes documents as NDJSON to {@code out}: one JSON object per line, each line ending in
     * {@code \n}, rendered by a {@link JsonDocumentWriter} and handed to {@code out} in chunks of
     * about {@value NdjsonWriter#CHUNK} bytes (fewer, larger writes to the response). Flush with
     * {@link NdjsonWriter#flush()} to push what is buffered to the client. Closing it writes what is
     * buffered and does not close {@code out}. Not thread-safe.
     */
    public static NdjsonWriter ndjson(OutputStream out) {
        return new NdjsonWriter(out);
    }

    /** One JSON document per line. */
    public static final class NdjsonWriter implements AutoCloseable {
        static final int CHUNK = 64 * 1024;

        private final OutputStream out;
        private final JsonDocumentWriter lines = new JsonDocumentWriter(CHUNK + CHUNK / 2);

        private NdjsonWriter(OutputStream out) {
            this.out = out;
        }

        public void write(StoredDocument doc) throws IOException {
            lines.document(doc).put('\n');
            drainWhenFull();
        }

        /** The cursor's current document, read where the cursor holds it (no copy of it first). */
        public void write(DocumentCursor cursor) throws IOException {
            lines.document(cursor).put('\n');
            drainWhenFull();
        }

        private void drainWhenFull() throws IOException {
            if (lines.size() >= CHUNK) {
                drain();
            }
        }

        /** Pushes what was written to the stream and flushes it. */
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        private void drain() throws IOException {
            if (lines.size() > 0) {
                lines.writeTo(out);
                lines.reset();
            }
        }

        @Override
        public void close() throws IOException {
            drain();
        }
    }
}
