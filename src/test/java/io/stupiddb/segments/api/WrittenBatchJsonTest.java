package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.store.WrittenDocument;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

    @Provide
    Arbitrary<List<WrittenDocument>> batches() {
        Arbitrary<WrittenDocument> doc = Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.longs(),
                        Arbitraries.strings()
                                .withCharRange('0', 'z')
                                .ofMinLength(1)
                                .ofMaxLength(24),
                        Arbitraries.longs().between(0, 253_402_300_799_999L))
                .as((hi, lo, segment, ts) -> new WrittenDocument(new UUID(hi, lo), segment, ts));
        return doc.list().ofMinSize(1).ofMaxSize(300);
    }
}
