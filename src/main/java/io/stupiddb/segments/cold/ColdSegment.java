package io.stupiddb.segments.cold;

import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.segment.SealedSegment;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One archived segment in the bucket, as known without reading the object: its footer's facts
 * (time range, id range, documents), its size and SHA-256, and where it is. The same facts ride
 * along as the object's user metadata ({@code x-amz-meta-*}), so a node that lost its volume
 * rebuilds its list from a listing and one HEAD per object, and time pruning needs no GET.
 * Immutable, so thread-safe.
 *
 * @param info     what {@code GET /segments} shows (state ARCHIVED)
 * @param key      the object key
 * @param location {@code s3://bucket/key}
 * @param sha256   hex SHA-256 of the whole object, checked by the HEAD after its upload (reads check the
 *                 format's own checksums instead: they read ranges, never the whole object)
 */
public record ColdSegment(SegmentInfo info, String key, String location, String sha256) {

    private static final String ID = "segment";
    private static final String CREATED = "created-at";
    private static final String SEALED = "sealed-at";
    private static final String ARCHIVED = "archived-at";
    private static final String MIN_TS = "min-timestamp";
    private static final String MAX_TS = "max-timestamp";
    private static final String MIN_ID = "min-id";
    private static final String MAX_ID = "max-id";
    private static final String DOCUMENTS = "documents";
    private static final String LEVEL = "level";
    private static final String FORMAT = "format";
    private static final String SHA256 = "sha256";

    public ColdSegment {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(sha256, "sha256");
    }

    public String id() {
        return info.id();
    }

    public long sizeBytes() {
        return info.sizeBytes();
    }

    /**
     * The facts of {@code original} archived as {@code archiveCopy} (its rewrite at the archive
     * level, byte for byte the object): the original's ranges and documents, the copy's size,
     * codec level, format and SHA-256.
     */
    static ColdSegment describing(SegmentInfo original, Path archiveCopy, String key, String location, long now)
            throws IOException {
        SegmentInfo copy;
        try (SealedSegment sealed = SealedSegment.open(archiveCopy, SegmentState.ARCHIVED)) {
            copy = sealed.info(now);
        }
        SegmentInfo info = new SegmentInfo(
                original.id(),
                SegmentState.ARCHIVED,
                original.createdAt(),
                original.sealedAt(),
                copy.archivedAt(),
                original.minTimestamp(),
                original.maxTimestamp(),
                original.minId(),
                original.maxId(),
                original.documents(),
                Files.size(archiveCopy),
                copy.codec(),
                copy.level(),
                copy.format());
        return new ColdSegment(info, key, location, Uploader.sha256(archiveCopy));
    }

    /** The user metadata to store with the object. */
    Map<String, String> metadata() {
        Map<String, String> m = new HashMap<>();
        m.put(ID, info.id());
        m.put(CREATED, Long.toString(info.createdAt()));
        put(m, SEALED, info.sealedAt());
        put(m, ARCHIVED, info.archivedAt());
        put(m, MIN_TS, info.minTimestamp());
        put(m, MAX_TS, info.maxTimestamp());
        if (info.minId() != null) {
            m.put(MIN_ID, info.minId().toString());
            m.put(MAX_ID, info.maxId().toString());
        }
        m.put(DOCUMENTS, Long.toString(info.documents()));
        m.put(LEVEL, Integer.toString(info.level()));
        m.put(FORMAT, Integer.toString(info.format()));
        m.put(SHA256, sha256);
        return m;
    }

    /**
     * Reads back what {@link #metadata()} wrote; empty when the metadata is not ours (an object
     * someone else put under the prefix) or names another segment than the key does.
     */
    static Optional<ColdSegment> fromMetadata(
            String key, String location, String segmentIdFromKey, long size, Map<String, String> m) {
        try {
            if (!segmentIdFromKey.equals(m.get(ID)) || m.get(SHA256) == null || m.get(DOCUMENTS) == null) {
                return Optional.empty();
            }
            SegmentInfo info = new SegmentInfo(
                    segmentIdFromKey,
                    SegmentState.ARCHIVED,
                    Long.parseLong(m.get(CREATED)),
                    longOrNull(m.get(SEALED)),
                    longOrNull(m.get(ARCHIVED)),
                    longOrNull(m.get(MIN_TS)),
                    longOrNull(m.get(MAX_TS)),
                    m.get(MIN_ID) == null ? null : UUID.fromString(m.get(MIN_ID)),
                    m.get(MAX_ID) == null ? null : UUID.fromString(m.get(MAX_ID)),
                    Long.parseLong(m.get(DOCUMENTS)),
                    size,
                    Codec.ZSTD,
                    Integer.parseInt(m.getOrDefault(LEVEL, "0")),
                    Integer.parseInt(m.getOrDefault(FORMAT, "2")));
            return Optional.of(new ColdSegment(info, key, location, m.get(SHA256)));
        } catch (RuntimeException e) {
            return Optional.empty(); // unparsable: not one of ours
        }
    }

    private static void put(Map<String, String> m, String name, Long value) {
        if (value != null) {
            m.put(name, Long.toString(value));
        }
    }

    private static Long longOrNull(String text) {
        return text == null ? null : Long.parseLong(text);
    }
}
