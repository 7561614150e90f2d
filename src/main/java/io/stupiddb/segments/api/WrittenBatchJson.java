package io.stupiddb.segments.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.stupiddb.segments.id.DocumentIds;
import io.stupiddb.segments.service.codec.Timestamps;
import io.stupiddb.segments.store.WrittenDocument;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The 201 answer to a batch write as JSON, {@link Views.WrittenBatch}'s shape
 * ({@code {"count":n,"documents":[{"id","segment","timestamp"}…]}}), written as bytes into one
 * array sized for it: the same bytes databind gives for the record (WrittenBatchJsonTest compares),
 * without a {@link Views.Written} per document, and without a generator, a String per id and per
 * timestamp and a copy of the whole answer (a generator writing them was 6-10 % of the request
 * threads' CPU and a fifth of their allocations in profiles of NDJSON ingest, batches of 100).
 * A batch's documents share one or two segments, so a segment's JSON string is escaped once (by
 * Jackson's own encoder, as its generator escapes) and copied after that. Stateless.
 */
final class WrittenBatchJson {
    private static final byte[] COUNT = ascii("{\"count\":");
    private static final byte[] DOCUMENTS = ascii(",\"documents\":[");
    private static final byte[] ID = ascii("{\"id\":\"");
    private static final byte[] SEGMENT = ascii("\",\"segment\":\"");
    private static final byte[] TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] END = ascii("\"}");

    /** A document's bytes besides its segment's: the field names and punctuation, id, timestamp, comma. */
    private static final int PER_DOCUMENT = ID.length
            + DocumentIds.TEXT_LENGTH
            + SEGMENT.length
            + TIMESTAMP.length
            + Timestamps.ASCII_WIDTH
            + END.length
            + 1;

    private WrittenBatchJson() {}

    static byte[] of(List<WrittenDocument> written) {
        int n = written.size();
        byte[] count = ascii(Integer.toString(n));
        String segment = n == 0 ? "" : written.getFirst().segmentId();
        byte[] segmentJson = JsonStringEncoder.getInstance().quoteAsUTF8(segment);
        // exact when every document is in the first one's segment and in a four-digit year
        int size = COUNT.length + count.length + DOCUMENTS.length + 2;
        byte[] out = new byte[size + Math.max(0, n * (PER_DOCUMENT + segmentJson.length) - 1)];
        int at = put(COUNT, out, 0);
        at = put(count, out, at);
        at = put(DOCUMENTS, out, at);
        for (int i = 0; i < n; i++) {
            WrittenDocument doc = written.get(i);
            if (!doc.segmentId().equals(segment)) {
                segment = doc.segmentId();
                segmentJson = JsonStringEncoder.getInstance().quoteAsUTF8(segment);
            }
            int room = PER_DOCUMENT + segmentJson.length - (i == 0 ? 1 : 0) + 2; // the closing "]}" too
            if (out.length - at < room) { // another segment: as long as this one for the rest
                out = Arrays.copyOf(out, at + room + (n - i - 1) * (PER_DOCUMENT + segmentJson.length));
            }
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(ID, out, at);
            at = DocumentIds.formatAscii(doc.id(), out, at);
            at = put(SEGMENT, out, at);
            at = put(segmentJson, out, at);
            at = put(TIMESTAMP, out, at);
            if (Timestamps.formatAscii(doc.timestamp(), out, at)) {
                at += Timestamps.ASCII_WIDTH;
            } else { // a year with a sign or five digits: longer, rare
                byte[] text = ascii(Timestamps.format(doc.timestamp()));
                out = Arrays.copyOf(out, out.length + text.length);
                at = put(text, out, at);
            }
            at = put(END, out, at);
        }
        out[at++] = ']';
        out[at++] = '}';
        return at == out.length ? out : Arrays.copyOf(out, at);
    }

    private static int put(byte[] bytes, byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
