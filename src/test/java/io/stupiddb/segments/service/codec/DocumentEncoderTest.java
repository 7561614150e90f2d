package io.stupiddb.segments.service.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.stupiddb.segments.segment.StoredDocument;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentEncoderTest {

    static final String ID = "019ab3c2-7f00-7000-8000-000000000001";
    static final byte[] SOURCE = Bodies.json("{\"level\":\"error\",\"n\":[1,2.5,null,{}],\"ok\":true}")
            .getFirst()
            .source();

    static String json(Writes writes) throws IOException {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.jsonFactory().createGenerator(out)) {
            writes.to(gen);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheApiShapeAsJson() throws IOException {
        assertEquals(
                "{\"id\":\"" + ID + "\",\"timestamp\":\"2026-11-25T10:00:00.123Z\",\"segment\":\"seg-1\","
                        + "\"source\":{\"level\":\"error\",\"n\":[1,2.5,null,{}],\"ok\":true}}",
                json(gen -> DocumentEncoder.writeDocument(gen, ID, 1795600800123L, "seg-1", SOURCE)));
    }

    @Test
    void aSourceThatIsNotExactlyOneValueIsAnError() {
        // two values, a truncated map, nothing: corruption the store's checksums missed must not
        // come out as a partial or concatenated document
        for (byte[] source : new byte[][] {Bodies.bytes(0x80, 0x01), Bodies.bytes(0x81, 0xa1, 'a'), Bodies.bytes()}) {
            assertThrows(
                    IOException.class,
                    () -> json(gen -> DocumentEncoder.writeDocument(gen, ID, 0, "s", source)),
                    java.util.HexFormat.of().formatHex(source));
        }
    }

    @Test
    void timestampsAlwaysHaveMilliseconds() throws IOException {
        String out = json(gen -> DocumentEncoder.writeDocument(gen, ID, 0, "s", Bodies.bytes(0x80)));
        assertEquals(
                "{\"id\":\"" + ID + "\",\"timestamp\":\"1970-01-01T00:00:00.000Z\",\"segment\":\"s\",\"source\":{}}",
                out);
    }

    @Test
    void writesTheSameShapeAsMessagePack() throws IOException {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.msgpackFactory().createGenerator(out)) {
            DocumentEncoder.writeDocument(
                    gen, new StoredDocument(UUID.fromString(ID), 1795600800123L, "seg-1", SOURCE));
        }
        var tree = Bodies.MSGPACK.readTree(out.toByteArray());
        assertEquals(
                Bodies.jsonTree(json(gen -> DocumentEncoder.writeDocument(gen, ID, 1795600800123L, "seg-1", SOURCE))),
                tree);
        // and it is itself a valid MessagePack request body
        assertEquals(1, Bodies.msgpack(out.toByteArray()).size());
    }

    @Test
    void documentsStreamInsideALargerResponse() throws IOException {
        String out = json(gen -> {
            gen.writeStartObject();
            gen.writeArrayFieldStart("documents");
            DocumentEncoder.writeDocument(gen, ID, 1, "a", SOURCE);
            DocumentEncoder.writeDocument(gen, ID, 2, "b", Bodies.bytes(0x80));
            gen.writeEndArray();
            gen.writeNullField("next");
            gen.writeEndObject();
        });
        var tree = Bodies.jsonTree(out);
        assertEquals(2, tree.get("documents").size());
        assertEquals(
                "1970-01-01T00:00:00.002Z",
                tree.get("documents").get(1).get("timestamp").asText());
        assertEquals(
                "error", tree.get("documents").get(0).get("source").get("level").asText());
    }

    @Test
    void ndjsonIsOneDocumentPerLine() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var writer = DocumentEncoder.ndjson(out)) {
            writer.write(new StoredDocument(UUID.fromString(ID), 1, "a", Bodies.bytes(0x80)));
            writer.flush();
            assertEquals(
                    "{\"id\":\"" + ID
                            + "\",\"timestamp\":\"1970-01-01T00:00:00.001Z\",\"segment\":\"a\",\"source\":{}}\n",
                    out.toString(StandardCharsets.UTF_8),
                    "flushed per document");
            writer.write(new StoredDocument(UUID.fromString(ID), 2, "b", SOURCE));
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length);
        assertEquals("", lines[2], "every line ends with a newline");
        assertEquals('{', lines[1].charAt(0), "no root-value separator before the line");
        // NDJSON output is a valid NDJSON request body
        assertEquals(2, Bodies.ndjson(out.toString(StandardCharsets.UTF_8)).size());
    }

    @Test
    void generatorsDoNotCloseTheResponseStream() throws IOException {
        for (var factory : new com.fasterxml.jackson.core.JsonFactory[] {
            DocumentEncoder.jsonFactory(), DocumentEncoder.msgpackFactory()
        }) {
            var out = new CloseTracking();
            try (JsonGenerator gen = factory.createGenerator(out)) {
                DocumentEncoder.writeDocument(gen, ID, 1, "a", SOURCE);
            }
            assertFalse(out.closed, factory.getFormatName());
            assertFalse(out.size() == 0, factory.getFormatName());
        }
        var out = new CloseTracking();
        DocumentEncoder.ndjson(out).close();
        assertFalse(out.closed);
    }

    @Test
    void aSourceThatIsNotOneValueIsAnError() {
        assertThrows(IOException.class, () -> json(gen -> DocumentEncoder.writeSource(gen, new byte[0])));
        assertThrows(IOException.class, () -> json(gen -> DocumentEncoder.writeSource(gen, Bodies.bytes(0x80, 0x80))));
    }

    /** The packed envelope with the stored bytes is what msgpack-jackson's generator wrote for it. */
    @Test
    void theMessagePackAnswerIsTheGeneratorsBytesWithTheSourceAsStored() throws IOException {
        StoredDocument doc = new StoredDocument(UUID.fromString(ID), 1795600800123L, "seg-1", SOURCE);
        var viaGenerator = new ByteArrayOutputStream();
        try (JsonGenerator gen = DocumentEncoder.msgpackFactory().createGenerator(viaGenerator)) {
            DocumentEncoder.writeDocument(gen, doc);
        }
        var direct = new ByteArrayOutputStream();
        DocumentEncoder.writeMsgpackDocument(direct, doc);
        assertArrayEquals(viaGenerator.toByteArray(), direct.toByteArray());

        // a float 32 stays a float 32 (the generator would have widened it to a float 64)
        byte[] float32 = Bodies.pack(p -> p.packMapHeader(1).packString("f").packFloat(0.5f));
        var out = new ByteArrayOutputStream();
        DocumentEncoder.writeMsgpackDocument(out, new StoredDocument(UUID.fromString(ID), 0, "s", float32));
        byte[] answer = out.toByteArray();
        assertArrayEquals(float32, java.util.Arrays.copyOfRange(answer, answer.length - float32.length, answer.length));
    }

    @Test
    void aDamagedSourceWritesNoMessagePackAnswerAtAll() {
        for (byte[] source : new byte[][] {Bodies.bytes(0x80, 0x01), Bodies.bytes(0x81, 0xa1, 'a'), Bodies.bytes()}) {
            var out = new ByteArrayOutputStream();
            assertThrows(
                    IOException.class,
                    () -> DocumentEncoder.writeMsgpackDocument(
                            out, new StoredDocument(UUID.fromString(ID), 0, "s", source)));
            assertEquals(0, out.size(), "nothing written before the check");
        }
    }

    /** What the decoder never stores, found while walking: an error naming where, never a partial success. */
    @Test
    void aSourceWithWhatTheDecoderRefusesIsAnError() {
        byte[][] sources = {
            Bodies.bytes(0x81, 0x01, 0x02), // integer key
            Bodies.bytes(0x81, 0xa1, 'a', 0xc4, 0x01, 0x00), // binary
            Bodies.bytes(0x81, 0xa1, 'a', 0xd4, 0x01, 0x00), // fixext 1
            Bodies.bytes(0x81, 0xa1, 'a', 0xc1), // never used
            Bodies.bytes(0x81, 0xa1, 'a', 0xa5, 'x'), // string cut short
            Bodies.bytes(0x81, 0xa1, 'a', 0xdb, 0x7f, 0xff, 0xff, 0xff), // str 32 claiming 2 GiB
            Bodies.bytes(0x81, 0xa1, 'a', 0xcb, 0x00), // float 64 cut short
            Bodies.bytes(0xdf, 0xff, 0xff, 0xff, 0xff) // map 32 claiming 4 billion entries
        };
        for (byte[] source : sources) {
            IOException e = assertThrows(
                    IOException.class,
                    () -> json(gen -> DocumentEncoder.writeSource(gen, source)),
                    java.util.HexFormat.of().formatHex(source));
            assertTrue(e.getMessage().contains("(at byte "), e.getMessage());
        }
    }

    static final class CloseTracking extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @FunctionalInterface
    interface Writes {
        void to(JsonGenerator gen) throws IOException;
    }
}
