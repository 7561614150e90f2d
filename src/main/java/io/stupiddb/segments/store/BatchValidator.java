package io.stupiddb.segments.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The rules of SPEC §1 every document of a batch must pass before anything of the batch is
 * written: one MessagePack map, at most {@code segments.max-document-size} bytes, an event time
 * inside the retention window and at most {@code segments.max-clock-skew} in the future.
 * A pure function of the batch, the settings and the time.
 */
record BatchValidator(long maxDocumentSize, Duration retention, Duration maxClockSkew) {

    /**
     * The event time of each document (the ingest time {@code now} for those without one).
     *
     * @throws DocumentRejectedException naming the first bad document
     */
    long[] timestamps(List<DocumentToWrite> documents, long now) {
        long oldest = now - retention.toMillis();
        long newest = now + maxClockSkew.toMillis();
        long[] timestamps = new long[documents.size()];
        for (int i = 0; i < documents.size(); i++) {
            DocumentToWrite doc = documents.get(i);
            byte[] source = doc.source();
            if (source.length == 0 || !isMessagePackMap(source[0])) {
                throw new DocumentRejectedException(
                        i, DocumentRejectedException.Kind.MALFORMED, "not a MessagePack map");
            }
            if (source.length > maxDocumentSize) {
                throw new DocumentRejectedException(
                        i,
                        DocumentRejectedException.Kind.TOO_LARGE,
                        "document is "
                                + source.length + " bytes, larger than segments.max-document-size ("
                                + ConfigValues.size(maxDocumentSize) + ")");
            }
            long timestamp = doc.timestamp().orElse(now);
            if (timestamp < oldest) {
                throw new DocumentRejectedException(
                        i,
                        DocumentRejectedException.Kind.TIMESTAMP_TOO_OLD,
                        "timestamp "
                                + Instant.ofEpochMilli(timestamp) + " is older than segments.retention ("
                                + ConfigValues.duration(retention)
                                + "): it would be evicted at once");
            }
            if (timestamp > newest) {
                throw new DocumentRejectedException(
                        i,
                        DocumentRejectedException.Kind.TIMESTAMP_IN_FUTURE,
                        "timestamp "
                                + Instant.ofEpochMilli(timestamp) + " is more than segments.max-clock-skew ("
                                + ConfigValues.duration(maxClockSkew)
                                + ") in the future");
            }
            timestamps[i] = timestamp;
        }
        return timestamps;
    }

    private static boolean isMessagePackMap(byte first) {
        int b = first & 0xFF;
        return (b >= 0x80 && b <= 0x8F) || b == 0xDE || b == 0xDF;
    }
}
