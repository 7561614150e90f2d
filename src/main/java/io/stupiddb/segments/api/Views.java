package io.stupiddb.segments.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.store.WrittenDocument;

import io.stupiddb.segments.service.codec.Timestamps;
import java.util.List;
import java.util.Locale;

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
    private Views() {
    }

    @RegisterForReflection
    record Written(String id, String segment, String timestamp) {
        static Written of(WrittenDocument doc) {
            return new Written(doc.id().toString(), doc.segmentId(), time(doc.timestamp()));
        }
    }

    @RegisterForReflection
    record WrittenBatch(int count, List<Written> documents) {
    }

    @RegisterForReflection
    record Segment(String id, String state, String createdAt, String sealedAt, String archivedAt,
                   String minTimestamp, String maxTimestamp, long documents, long sizeBytes, String compression) {
        static Segment of(SegmentInfo info) {
            return new Segment(info.id(), info.state().name(), time(info.createdAt()), time(info.sealedAt()),
                    time(info.archivedAt()), time(info.minTimestamp()), time(info.maxTimestamp()), info.documents(),
                    info.sizeBytes(), info.codec().label());
        }
    }

    /** What {@code GET /segments} answers: this node's list, or with {@code scope=cluster} every node's. */
    sealed interface SegmentList permits Segments, ClusterSegmentList {
    }

    @RegisterForReflection
    record Segments(List<Segment> segments) implements SegmentList {
    }

    /** Every node's segments; {@code partial} and {@code missing} only when nodes are left out. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClusterSegmentList(List<JsonNode> segments, Boolean partial, List<Integer> missing) implements SegmentList {
        static ClusterSegmentList of(List<JsonNode> segments, List<Integer> missing) {
            return missing.isEmpty() ? new ClusterSegmentList(segments, null, null)
                    : new ClusterSegmentList(segments, true, missing);
        }
    }

    @RegisterForReflection
    record Evicted(List<String> evicted) {
    }

    @RegisterForReflection
    record Event(long seq, String type, String segment, String at, String reason, String detail,
                 String minTimestamp, String maxTimestamp, long documents) {
        static Event of(LifecycleEvent event) {
            return new Event(event.seq(), event.type().name(), event.segment(), time(event.at().toEpochMilli()),
                    event.reason() == null ? null : event.reason().name(), event.detail(),
                    time(event.minTimestamp()), time(event.maxTimestamp()), event.documents());
        }
    }

    @RegisterForReflection
    record Events(List<Event> events, long next) {
    }

    /** One spelling for every time of the API: RFC 3339, UTC, always milliseconds (as documents are written). */
    static String time(Long epochMillis) {
        return epochMillis == null ? null : Timestamps.format(epochMillis);
    }

    static String state(String text) {
        return text.toUpperCase(Locale.ROOT);
    }
}
