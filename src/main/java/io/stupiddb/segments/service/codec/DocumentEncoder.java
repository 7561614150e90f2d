package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.stupiddb.segments.segment.StoredDocument;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes stored documents in the API shape {@code {"id","timestamp","segment","source":{…}}}
 * ({@code timestamp} as RFC 3339 UTC with milliseconds, {@link Timestamps#format}) to any Jackson
 * {@link JsonGenerator}: one from {@link #jsonFactory()} writes JSON, one from
 * {@link #msgpackFactory()} MessagePack. The source is streamed from its MessagePack bytes into the
 * generator token by token (no Map or JsonNode in between).
 *
 * <p>Sources are trusted: they were produced by {@link DocumentDecoder} (string keys, finite numbers,
 * no binary or extension values). A MessagePack generator buffers one root value until it is closed
 * (msgpack needs container sizes up front); JSON generators stream. Thread-safe (the factories are).
 */
public final class DocumentEncoder {

    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private static final MessagePackFactory MSGPACK = msgpack();
    /** Reads stored sources; separate from {@link #MSGPACK} so callers cannot reconfigure it. */
    private static final MessagePackFactory SOURCES = msgpack();

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
     * Streams one MessagePack value (a stored source) into {@code gen}.
     *
     * @throws IOException also when {@code source} is not exactly one MessagePack value
     */
    public static void writeSource(JsonGenerator gen, byte[] source) throws IOException {
        requireOneValue(source);
        try (JsonParser parser = SOURCES.createParser(source)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty document source");
            }
            gen.copyCurrentStructure(parser);
        }
    }

    /**
     * Checks that {@code source} holds exactly one whole MessagePack value, by skipping it. Not by
     * asking the parser for a token after the value: MessagePackParser answers the end of its input
     * with a JsonEOFException, and an exception per document (every GET, every match of a scan) was
     * what a profile of GET by id showed; skipping is one pass that decodes no string.
     */
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
     * Writes documents as NDJSON to {@code out}: one JSON object per line, each line ending in
     * {@code \n}. Flush per document with {@link NdjsonWriter#flush()} to stream a scan. Closing it
     * does not close {@code out}. Not thread-safe.
     */
    public static NdjsonWriter ndjson(OutputStream out) throws IOException {
        return new NdjsonWriter(JSON.createGenerator(out));
    }

    /** One JSON document per line. */
    public static final class NdjsonWriter implements AutoCloseable {
        private final JsonGenerator gen;

        private NdjsonWriter(JsonGenerator gen) {
            this.gen = gen;
            gen.setRootValueSeparator(null); // the default is a space before every root value but the first
        }

        public void write(String id, long timestamp, String segment, byte[] source) throws IOException {
            writeDocument(gen, id, timestamp, segment, source);
            gen.writeRaw('\n');
        }

        public void write(StoredDocument doc) throws IOException {
            writeDocument(gen, doc);
            gen.writeRaw('\n');
        }

        /** Pushes what was written to the stream. */
        public void flush() throws IOException {
            gen.flush();
        }

        @Override
        public void close() throws IOException {
            gen.close();
        }
    }
}
