package io.stupiddb.segments.api;

import io.stupiddb.segments.engine.LifecycleEvent;
import io.stupiddb.segments.engine.SegmentInfo;
import io.stupiddb.segments.engine.WrittenDocument;

import io.stupiddb.segments.service.codec.Timestamps;
import java.util.List;
import java.util.Locale;

/** The JSON (and MessagePack) shapes of SPEC §2; times are RFC 3339 strings in UTC. */
final class Views {
    private Views() {
    }

    record Written(String id, String segment, String timestamp) {
        static Written of(WrittenDocument doc) {
            return new Written(doc.id().toString(), doc.segmentId(), time(doc.timestamp()));
        }
    }

    record WrittenBatch(int count, List<Written> documents) {
    }

    record Segment(String id, String state, String createdAt, String sealedAt, String archivedAt,
                   String minTimestamp, String maxTimestamp, long documents, long sizeBytes, String compression) {
        static Segment of(SegmentInfo info) {
            return new Segment(info.id(), info.state().name(), time(info.createdAt()), time(info.sealedAt()),
                    time(info.archivedAt()), time(info.minTimestamp()), time(info.maxTimestamp()), info.documents(),
                    info.sizeBytes(), info.codec().label());
        }
    }

    record Segments(List<Segment> segments) {
    }

    record Evicted(List<String> evicted) {
    }

    record Event(long seq, String type, String segment, String at, String reason, String detail,
                 String minTimestamp, String maxTimestamp, long documents) {
        static Event of(LifecycleEvent event) {
            return new Event(event.seq(), event.type().name(), event.segment(), time(event.at().toEpochMilli()),
                    event.reason() == null ? null : event.reason().name(), event.detail(),
                    time(event.minTimestamp()), time(event.maxTimestamp()), event.documents());
        }
    }

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
