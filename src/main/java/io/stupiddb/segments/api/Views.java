package io.stupiddb.segments.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.service.codec.Timestamps;
import io.stupiddb.segments.store.DeleteProgress;
import io.stupiddb.segments.store.WrittenDocument;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON (and MessagePack) shapes of SPEC §2; times are RFC 3339 strings in UTC.
 * <p>
 * Every record is {@link RegisterForReflection registered for reflection}: Jackson reads their
 * components reflectively, and in a native image only registered classes can be. Quarkus
 * registers the return types of resource methods by itself, but not entities put into a
 * {@code Response} ({@code Written}, {@code WrittenBatch}, a rotated {@code Segment}) nor what
 * {@link MsgpackBodyWriter} writes; registering them all keeps new views safe
 * ({@code NativeImageConfigTest} checks that none is missed).
 */
final class Views {
    private Views() {}

    @RegisterForReflection
    @Schema(description = "One written document")
    record Written(
            @Schema(required = true, description = ApiSchemas.DOCUMENT_ID)
            String id,

            @Schema(required = true, description = "The segment it went to")
            String segment,

            @Schema(required = true, description = "Its event time; " + ApiSchemas.TIME)
            String timestamp) {
        static Written of(WrittenDocument doc) {
            return new Written(doc.id().toString(), doc.segmentId(), time(doc.timestamp()));
        }
    }

    @RegisterForReflection
    @Schema(description = "A written batch")
    record WrittenBatch(
            @Schema(required = true, description = "How many were written")
            int count,

            @Schema(required = true, description = "One per document, in input order")
            List<Written> documents) {}

    @RegisterForReflection
    @Schema(description = "A segment; times are " + ApiSchemas.TIME + ", null until known")
    record Segment(
            @Schema(required = true, description = ApiSchemas.SEGMENT_ID)
            String id,

            @Schema(
                    required = true,
                    enumeration = {"ACTIVE", "SEALED", "ARCHIVED"})
            String state,

            @Schema(required = true) String createdAt,
            @Schema(required = true, nullable = true) String sealedAt,
            @Schema(required = true, nullable = true) String archivedAt,

            @Schema(required = true, nullable = true, description = "Oldest event time")
            String minTimestamp,

            @Schema(required = true, nullable = true, description = "Newest event time")
            String maxTimestamp,

            @Schema(required = true) long documents,

            @Schema(required = true, description = "File size; an active segment: bytes so far")
            long sizeBytes,

            @Schema(
                    required = true,
                    enumeration = {"zstd", "none"})
            String compression,

            @Schema(
                    required = true,
                    description = "File format version: 1 while active and until the background compaction has"
                            + " rewritten the sealed file (uncompressed, no column index), 2 after (compressed,"
                            + " with the column index that lets filtered scans skip rows)")
            int format,

            @JsonProperty("class")
            @Schema(
                    required = true,
                    description = "Retention class whose documents the segment holds (segments.retention-classes);"
                            + " `default` for documents that name none (kept for segments.retention)")
            String retentionClass,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "ARCHIVED in an object store: s3://bucket/key; null otherwise")
            String location,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Only while it holds deleted documents not yet rewritten away")
            PendingDeletes deletes,

            @Schema(
                    required = true,
                    description = "Documents of this segment whose stored copy failed its checks (unreadable; "
                            + "the others are in service); 0 when none is known")
            int damagedRecords) {
        static Segment of(SegmentInfo info, String retentionClass) {
            return of(info, retentionClass, java.util.Optional.empty(), null, 0);
        }

        /**
         * With where it is archived ({@code location}) and where the deletes in it stand
         * ({@code progress}: the store's, or null).
         */
        static Segment of(
                SegmentInfo info,
                String retentionClass,
                java.util.Optional<String> location,
                DeleteProgress progress,
                int damagedRecords) {
            int pending = progress == null ? 0 : progress.pendingIn(info.id());
            PendingDeletes deletes = pending == 0
                    ? null
                    : new PendingDeletes(
                            pending,
                            progress.rewriting().filter(info.id()::equals).isPresent());
            return new Segment(
                    info.id(),
                    info.state().name(),
                    time(info.createdAt()),
                    time(info.sealedAt()),
                    time(info.archivedAt()),
                    time(info.minTimestamp()),
                    time(info.maxTimestamp()),
                    info.documents(),
                    info.sizeBytes(),
                    info.codec().label(),
                    info.format(),
                    retentionClass,
                    location.orElse(null),
                    deletes,
                    damagedRecords);
        }
    }

    @RegisterForReflection
    @Schema(description = "Deleted documents a segment still holds until it is rewritten")
    record PendingDeletes(
            @Schema(required = true, description = "Deleted documents (hidden) whose space is not back yet")
            long documents,

            @Schema(required = true, description = "Being rewritten now (an active segment waits until it is sealed)")
            boolean rewriting) {}

    /** What {@code GET /segments} answers: this node's list, or with {@code scope=cluster} every node's. */
    sealed interface SegmentListing permits Segments, ClusterSegmentList {}

    @RegisterForReflection
    @Schema(description = "This node's segments, oldest first, the active one last")
    record Segments(@Schema(required = true) List<Segment> segments) implements SegmentListing {}

    /** Every node's segments; {@code partial} and {@code missing} only when nodes are left out. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "Every node's segments (scope=cluster), merged by createdAt")
    record ClusterSegmentList(
            @Schema(required = true, type = SchemaType.ARRAY, implementation = Segment.class)
            List<JsonNode> segments,

            @Schema(description = "Present (true) only when nodes were left out (partial=true)")
            Boolean partial,

            @Schema(description = "The node ids left out") List<Integer> missing)
            implements SegmentListing {
        static ClusterSegmentList of(List<JsonNode> segments, List<Integer> missing) {
            return missing.isEmpty()
                    ? new ClusterSegmentList(segments, null, null)
                    : new ClusterSegmentList(segments, true, missing);
        }
    }

    @RegisterForReflection
    @Schema(description = "The segments evicted, oldest first")
    record Evicted(@Schema(required = true) List<String> evicted) {}

    @RegisterForReflection
    @Schema(description = "A lifecycle event; times are " + ApiSchemas.TIME)
    record Event(
            @Schema(required = true, description = "Strictly increasing, never reused")
            long seq,

            @Schema(
                    required = true,
                    enumeration = {
                        "SEGMENT_SEALED",
                        "SEGMENT_ARCHIVED",
                        "SEGMENT_EVICTED",
                        "SEGMENT_QUARANTINED",
                        "DOCUMENTS_DELETED",
                        "SEGMENT_REWRITTEN",
                        "DOCUMENTS_DAMAGED"
                    })
            String type,

            @Schema(required = true, description = ApiSchemas.SEGMENT_ID)
            String segment,

            @Schema(required = true, description = "When it happened")
            String at,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "SEGMENT_EVICTED only",
                    enumeration = {"RETENTION", "SIZE", "MANUAL"})
            String reason,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "SEGMENT_QUARANTINED: the check that failed; SEGMENT_REWRITTEN: documents before"
                            + " and after")
            String detail,

            @Schema(required = true, nullable = true) String minTimestamp,
            @Schema(required = true, nullable = true) String maxTimestamp,

            @Schema(
                    required = true,
                    description =
                            "Documents in the segment; DOCUMENTS_DELETED, DOCUMENTS_DAMAGED: the documents named (ids listed)")
            long documents,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "SEGMENT_ARCHIVED to an object store: s3://bucket/key; null otherwise")
            String location,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(
                    description =
                            "DOCUMENTS_DELETED: the deleted documents' ids; DOCUMENTS_DAMAGED: the documents whose stored copy is damaged (at most 10,000 an event; absent for other types)")
            List<String> ids) {
        static Event of(LifecycleEvent event) {
            return new Event(
                    event.seq(),
                    event.type().name(),
                    event.segment(),
                    time(event.at().toEpochMilli()),
                    event.reason() == null ? null : event.reason().name(),
                    event.detail(),
                    time(event.minTimestamp()),
                    time(event.maxTimestamp()),
                    event.documents(),
                    event.location().orElse(null),
                    event.ids().isEmpty()
                            ? null
                            : event.ids().stream().map(UUID::toString).toList());
        }
    }

    @RegisterForReflection
    @Schema(description = "A salvaged segment, back in service")
    record Salvaged(
            @Schema(required = true, description = ApiSchemas.SEGMENT_ID)
            String segment,

            @Schema(required = true, description = "Documents in the salvaged segment")
            long kept,

            @Schema(required = true, description = "Documents its index listed that no intact record holds")
            List<String> lost,

            @Schema(
                    required = true,
                    description = "Whether an intact index told which documents the segment held (false: lost "
                            + "documents, if any, are unknown)")
            boolean lossKnown) {
        static Salvaged of(io.stupiddb.segments.lifecycle.Salvager.Salvaged salvaged) {
            return new Salvaged(
                    salvaged.segmentId(),
                    salvaged.kept(),
                    salvaged.lost().stream().map(UUID::toString).toList(),
                    salvaged.lossKnown());
        }
    }

    @RegisterForReflection
    @Schema(description = "A page of the journal")
    record Events(
            @Schema(required = true) List<Event> events,

            @Schema(
                    required = true,
                    description = "The last seq returned, or `after` when none: ask again " + "with after=next")
            long next,

            @Schema(
                    required = true,
                    description = "The journal's epoch: seqs are unique within it; a new epoch (a node that lost"
                            + " its volume) restarts at seq 1, so start over from after=0")
            String epoch) {}

    /** One spelling for every time of the API: RFC 3339, UTC, always milliseconds (as documents are written). */
    static String time(Long epochMillis) {
        return epochMillis == null ? null : Timestamps.format(epochMillis);
    }

    static String state(String text) {
        return text.toUpperCase(Locale.ROOT);
    }
}
