package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.store.WrittenDocument;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written 201 answer to a batch is byte for byte what Jackson's databind writes for the
 * {@link Views.WrittenBatch} record it replaces on the JSON path (and what the OpenAPI document
 * describes), for batches of 1 to 300 documents with any id, segment id and event time.
 */
class WrittenBatchJsonTest {
    private static final ObjectMapper DATABIND = new ObjectMapper();

    @Property(tries = 200)
    void theAnswerIsWhatDatabindWritesForTheRecord(@ForAll("batches") List<WrittenDocument> written) throws Exception {
        String expected = DATABIND.writeValueAsString(new Views.WrittenBatch(
                written.size(), written.stream().map(Views.Written::of).toList()));
        assertEquals(expected, new String(WrittenBatchJson.of(written), StandardCharsets.UTF_8));
    }

    @Property(tries = 100)
    void aBatchInOneSegmentIsWhatDatabindWrites(
            @ForAll("batches") List<WrittenDocument> written, @ForAll("segments") String segment) throws Exception {
        List<WrittenDocument> inOne = written.stream()
                .map(doc -> new WrittenDocument(doc.id(), segment, doc.timestamp()))
                .toList();
        theAnswerIsWhatDatabindWritesForTheRecord(inOne);
    }

    @Provide
    Arbitrary<List<WrittenDocument>> batches() {
        Arbitrary<WrittenDocument> doc = Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        segments(),
                        Arbitraries.frequencyOf(
                                // four-digit years, and now and then a negative or a five-digit one
                                Tuple.of(9, Arbitraries.longs().between(0, 253_402_300_799_999L)),
                                Tuple.of(
                                        1,
                                        Arbitraries.longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000L))))
                .as((hi, lo, segment, ts) -> new WrittenDocument(new UUID(hi, lo), segment, ts));
        return doc.list().ofMinSize(1).ofMaxSize(300);
    }

    /** Segment ids as the store names them, and strings JSON must escape (quotes, controls, non-ASCII). */
    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('0', 'z').ofMinLength(1).ofMaxLength(24),
                Arbitraries.strings()
                        .withCharRange('\u0000', '\u007f')
                        .withCharRange('\u00a0', '\u07ff')
                        .withChars('"', '\\')
                        .ofMinLength(1)
                        .ofMaxLength(12));
    }
}
