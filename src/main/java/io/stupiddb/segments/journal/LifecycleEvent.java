package io.stupiddb.segments.journal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One durable segment transition (SPEC.md §5), as stored in and read from the
 * {@link LifecycleJournal}.
 *
 * @param seq          position in the journal: strictly increasing from 1, never reused
 * @param type         the transition
 * @param segment      segment id
 * @param at           when the journal recorded it (millisecond precision)
 * @param reason       why, for {@link LifecycleEventType#SEGMENT_EVICTED}; null for every other type
 * @param detail       free text, nullable (e.g. what check a quarantined segment failed); at most
 *                     {@link #MAX_DETAIL_LENGTH} characters
 * @param minTimestamp the segment's oldest document timestamp, epoch ms; null when unknown
 * @param maxTimestamp the segment's newest document timestamp, epoch ms; null when unknown
 * @param documents    documents in the segment, {@code >= 0}; for
 *                     {@link LifecycleEventType#DOCUMENTS_DELETED} and
 *                     {@link LifecycleEventType#DOCUMENTS_DAMAGED}: the documents the event names
 *                     (the size of {@code ids})
 * @param ids          the documents concerned, in id order, for DOCUMENTS_DELETED and
 *                     DOCUMENTS_DAMAGED only (1 to {@link #MAX_IDS}; more in further events);
 *                     empty for every other type
 */
public record LifecycleEvent(
        long seq,
        LifecycleEventType type,
        String segment,
        Instant at,
        EvictionReason reason,
        String detail,
        Long minTimestamp,
        Long maxTimestamp,
        long documents,
        List<UUID> ids) {

    /**
     * Most ids one DOCUMENTS_DELETED or DOCUMENTS_DAMAGED event lists (SPEC §11); more are
     * written as further events.
     */
    public static final int MAX_IDS = 10_000;

    /** Longest segment id the journal stores (segment ids are short {@code [0-9a-z-]} strings). */
    public static final int MAX_SEGMENT_LENGTH = 255;
    /** Longest detail; {@link Draft} shortens longer text. */
    public static final int MAX_DETAIL_LENGTH = 1024;

    public LifecycleEvent {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        Objects.requireNonNull(at, "at");
        ids = List.copyOf(ids);
        validate(type, segment, reason, detail, minTimestamp, maxTimestamp, documents);
        validateIds(type, documents, ids);
    }

    /** An event without ids (every type but DOCUMENTS_DELETED and DOCUMENTS_DAMAGED). */
    public LifecycleEvent(
            long seq,
            LifecycleEventType type,
            String segment,
            Instant at,
            EvictionReason reason,
            String detail,
            Long minTimestamp,
            Long maxTimestamp,
            long documents) {
        this(seq, type, segment, at, reason, detail, minTimestamp, maxTimestamp, documents, List.of());
    }

    /**
     * A transition to record: everything but {@code seq} and {@code at}, which
     * {@link LifecycleJournal#append} assigns. Use the factories.
     */
    public record Draft(
            LifecycleEventType type,
            String segment,
            EvictionReason reason,
            String detail,
            Long minTimestamp,
            Long maxTimestamp,
            long documents,
            List<UUID> ids) {

        public Draft {
            // Store exactly what the journal will read back: unpaired surrogates become '?'.
            segment = segment == null ? null : utf8RoundTrip(segment);
            detail = detail == null ? null : utf8RoundTrip(shorten(detail));
            ids = List.copyOf(ids);
            validate(type, segment, reason, detail, minTimestamp, maxTimestamp, documents);
            validateIds(type, documents, ids);
        }

        /** A draft without ids (every type but DOCUMENTS_DELETED and DOCUMENTS_DAMAGED). */
        public Draft(
                LifecycleEventType type,
                String segment,
                EvictionReason reason,
                String detail,
                Long minTimestamp,
                Long maxTimestamp,
                long documents) {
            this(type, segment, reason, detail, minTimestamp, maxTimestamp, documents, List.of());
        }

        /** Documents of {@code segment} deleted by filter: 1 to {@link #MAX_IDS} ids. */
        public static Draft documentsDeleted(String segment, List<UUID> ids) {
            return new Draft(LifecycleEventType.DOCUMENTS_DELETED, segment, null, null, null, null, ids.size(), ids);
        }

        /** {@code segment} rewritten without its deleted documents: {@code before} documents, {@code after} kept. */
        public static Draft rewritten(String segment, Long minTimestamp, Long maxTimestamp, long before, long after) {
            return new Draft(
                    LifecycleEventType.SEGMENT_REWRITTEN,
                    segment,
                    null,
                    "documents before " + before + ", after " + after,
                    minTimestamp,
                    maxTimestamp,
                    after,
                    List.of());
        }

        /**
         * Documents of {@code segment} whose stored copy failed its checks ({@code ids}: 1 to
         * {@link #MAX_IDS}, in id order); {@code detail} says what failed.
         */
        public static Draft damaged(String segment, String detail, List<UUID> ids) {
            return new Draft(LifecycleEventType.DOCUMENTS_DAMAGED, segment, null, detail, null, null, ids.size(), ids);
        }

        public static Draft sealed(String segment, Long minTimestamp, Long maxTimestamp, long documents) {
            return new Draft(
                    LifecycleEventType.SEGMENT_SEALED, segment, null, null, minTimestamp, maxTimestamp, documents);
        }

        public static Draft archived(String segment, Long minTimestamp, Long maxTimestamp, long documents) {
            return new Draft(
                    LifecycleEventType.SEGMENT_ARCHIVED, segment, null, null, minTimestamp, maxTimestamp, documents);
        }

        /** Archived to an object store: {@code location} ({@code s3://bucket/key}) is kept as the detail. */
        public static Draft archivedTo(
                String segment, String location, Long minTimestamp, Long maxTimestamp, long documents) {
            return archived(segment, minTimestamp, maxTimestamp, documents).withDetail(location);
        }

        public static Draft evicted(
                String segment, EvictionReason reason, Long minTimestamp, Long maxTimestamp, long documents) {
            return new Draft(
                    LifecycleEventType.SEGMENT_EVICTED,
                    segment,
                    Objects.requireNonNull(reason, "reason"),
                    null,
                    minTimestamp,
                    maxTimestamp,
                    documents);
        }

        /** {@code detail} says what failed; texts longer than {@link #MAX_DETAIL_LENGTH} are shortened. */
        public static Draft quarantined(
                String segment, String detail, Long minTimestamp, Long maxTimestamp, long documents) {
            return new Draft(
                    LifecycleEventType.SEGMENT_QUARANTINED,
                    segment,
                    null,
                    detail,
                    minTimestamp,
                    maxTimestamp,
                    documents);
        }

        /** The same draft with a free-text detail (shortened when too long). */
        public Draft withDetail(String newDetail) {
            return new Draft(type, segment, reason, newDetail, minTimestamp, maxTimestamp, documents, ids);
        }

        LifecycleEvent toEvent(long seq, Instant at) {
            return new LifecycleEvent(
                    seq, type, segment, at, reason, detail, minTimestamp, maxTimestamp, documents, ids);
        }
    }

    /**
     * Where an archived segment went, for SEGMENT_ARCHIVED events of an object-store archive
     * ({@link Draft#archivedTo}): the {@code s3://} detail. Empty for every other event.
     */
    public java.util.Optional<String> location() {
        return type == LifecycleEventType.SEGMENT_ARCHIVED && detail != null && detail.startsWith("s3://")
                ? java.util.Optional.of(detail)
                : java.util.Optional.empty();
    }

    private static void validate(
            LifecycleEventType type,
            String segment,
            EvictionReason reason,
            String detail,
            Long minTimestamp,
            Long maxTimestamp,
            long documents) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(segment, "segment");
        if (segment.isEmpty() || segment.length() > MAX_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("segment id must have 1 to " + MAX_SEGMENT_LENGTH + " characters");
        }
        if ((type == LifecycleEventType.SEGMENT_EVICTED) != (reason != null)) {
            throw new IllegalArgumentException(
                    type == LifecycleEventType.SEGMENT_EVICTED
                            ? "an eviction needs a reason"
                            : type + " has no reason, got " + reason);
        }
        if (detail != null && detail.length() > MAX_DETAIL_LENGTH) {
            throw new IllegalArgumentException("detail longer than " + MAX_DETAIL_LENGTH + " characters");
        }
        if (documents < 0) {
            throw new IllegalArgumentException("documents must be >= 0, got " + documents);
        }
        if (minTimestamp != null && maxTimestamp != null && minTimestamp > maxTimestamp) {
            throw new IllegalArgumentException("minTimestamp " + minTimestamp + " > maxTimestamp " + maxTimestamp);
        }
    }

    private static void validateIds(LifecycleEventType type, long documents, List<UUID> ids) {
        if (type == LifecycleEventType.DOCUMENTS_DELETED || type == LifecycleEventType.DOCUMENTS_DAMAGED) {
            if (ids.isEmpty() || ids.size() > MAX_IDS) {
                throw new IllegalArgumentException(type + " lists 1 to " + MAX_IDS + " ids, got " + ids.size());
            }
            if (documents != ids.size()) {
                throw new IllegalArgumentException(
                        type + " counts " + documents + " documents but lists " + ids.size() + " ids");
            }
        } else if (!ids.isEmpty()) {
            throw new IllegalArgumentException(type + " has no ids, got " + ids.size());
        }
    }

    private static String utf8RoundTrip(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static String shorten(String detail) {
        if (detail.length() <= MAX_DETAIL_LENGTH) {
            return detail;
        }
        int end = MAX_DETAIL_LENGTH - 1;
        if (Character.isHighSurrogate(detail.charAt(end - 1))) {
            end--; // do not split a surrogate pair
        }
        return detail.substring(0, end) + "…";
    }
}
