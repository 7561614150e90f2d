package io.stupiddb.segments.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.store.StoreConfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code segments.*} key of SPEC §4, with the spec's defaults. Durations use
 * {@link DurationParser} ({@code 500ms 10s 1m 1h 30d}), sizes {@link SizeParser} ({@code 4096 100K 16M
 * 1G}, binary multiples). A value that does not parse fails start-up with a SmallRye message naming the
 * key; range rules (zstd levels, node id 0-1023, …) are the engine's {@link StoreConfig} rules, applied
 * by {@link #toStoreConfig()} and checked at start-up by {@link ConfigStartupCheck}.
 * Environment variables override as usual: {@code SEGMENTS_DATA_DIR}, {@code SEGMENTS_CLUSTER_PEERS}, ….
 */
@ConfigMapping(prefix = "segments")
public interface SegmentsConfig {

    /** The keys of SPEC §4 in the spec's order, as {@code application.properties} spells them. */
    List<String> KEYS = List.of(
            "segments.data-dir",
            "segments.max-segment-age",
            "segments.max-segment-size",
            "segments.retention",
            "segments.max-total-size",
            "segments.archive-after",
            "segments.archive-dir",
            "segments.compression",
            "segments.compression-level",
            "segments.archive-compression-level",
            "segments.fsync",
            "segments.fsync-interval",
            "segments.max-document-size",
            "segments.max-request-size",
            "segments.timestamp-field",
            "segments.max-clock-skew",
            "segments.min-free-disk",
            "segments.rotation-check-interval",
            "segments.retention-check-interval",
            "segments.scrub-interval",
            "segments.scrub-rate",
            "segments.api-key",
            "segments.node-id",
            "segments.cluster.peers",
            "segments.archive.target",
            "segments.archive.cache-size",
            "segments.archive.s3.bucket",
            "segments.archive.s3.prefix",
            "segments.archive.s3.endpoint",
            "segments.archive.s3.region",
            "segments.archive.s3.path-style",
            "segments.indexed-fields",
            "segments.unindexed-fields",
            "segments.retention-classes",
            "segments.retention-class-field");

    /** Where segments live; one store per directory. */
    @WithDefault("./data")
    String dataDir();

    /** Rotate when the active segment is this old. */
    @WithDefault("1h")
    @WithConverter(DurationValueConverter.class)
    Duration maxSegmentAge();

    /** Rotate when the active segment reaches this many bytes. */
    @WithDefault("100M")
    @WithConverter(SizeValueConverter.class)
    long maxSegmentSize();

    /** Evict segments whose newest timestamp is older than this. */
    @WithDefault("30d")
    @WithConverter(DurationValueConverter.class)
    Duration retention();

    /** Also evict the oldest segments while the store is larger than this (absent: no cap). */
    @WithConverter(SizeValueConverter.class)
    Optional<Long> maxTotalSize();

    /** Archive sealed segments this old (absent: never). */
    @WithConverter(DurationValueConverter.class)
    Optional<Duration> archiveAfter();

    /** Where archived segments go (absent: {@code <data-dir>/archive}). */
    Optional<String> archiveDir();

    /** {@code zstd} or {@code none}. */
    @WithDefault("zstd")
    @WithConverter(CodecConverter.class)
    Codec compression();

    /** zstd level of new segments. */
    @WithDefault("3")
    int compressionLevel();

    /** zstd level when archiving. */
    @WithDefault("19")
    int archiveCompressionLevel();

    /** {@code always}, {@code interval} or {@code never}. */
    @WithDefault("always")
    @WithConverter(DurabilityModeConverter.class)
    DurabilityMode fsync();

    /** Sync period for {@code fsync=interval}. */
    @WithDefault("1s")
    @WithConverter(DurationValueConverter.class)
    Duration fsyncInterval();

    /** Largest MessagePack encoding of one document (larger: 413). */
    @WithDefault("1M")
    @WithConverter(SizeValueConverter.class)
    long maxDocumentSize();

    /** Largest request body (larger: 413). */
    @WithDefault("16M")
    @WithConverter(SizeValueConverter.class)
    long maxRequestSize();

    /** The top-level field holding a document's event time. */
    @WithDefault("timestamp")
    String timestampField();

    /** How far in the future a document's timestamp may be. */
    @WithDefault("1h")
    @WithConverter(DurationValueConverter.class)
    Duration maxClockSkew();

    /** Writes are refused (507) below this much free disk. */
    @WithDefault("256M")
    @WithConverter(SizeValueConverter.class)
    long minFreeDisk();

    /** Scheduler period for rotation. */
    @WithDefault("10s")
    @WithConverter(DurationValueConverter.class)
    Duration rotationCheckInterval();

    /** Scheduler period for archive and eviction. */
    @WithDefault("1m")
    @WithConverter(DurationValueConverter.class)
    Duration retentionCheckInterval();

    /**
     * Scheduler period for scrubbing: a pass verifies every sealed and archived segment end to
     * end; a pass that takes longer delays the next.
     */
    @WithDefault("1h")
    @WithConverter(DurationValueConverter.class)
    Duration scrubInterval();

    /** Most bytes per second scrubbing reads, so it never competes with clients for the disk. */
    @WithDefault("8M")
    @WithConverter(SizeValueConverter.class)
    long scrubRate();

    /** When set, every {@code /api/v1} request needs {@code Authorization: Bearer <key>}. */
    Optional<String> apiKey();

    /**
     * The node number stamped into ids, 0-1023. Absent: see {@link StoreConfigMapper#nodeId}
     * (the ordinal at the end of the hostname, {@code segment-store-2} → 2, else 0).
     */
    Optional<Integer> nodeId();

    /**
     * Dotted paths compacted (format v2) segments always keep as columns, whatever share of the
     * documents holds them (e.g. {@code trace_id,http.status}). Absent: only discovered ones.
     */
    Optional<List<String>> indexedFields();

    /** Dotted paths never kept as columns, with everything inside them ({@code http} covers {@code http.status}). */
    Optional<List<String>> unindexedFields();

    /**
     * Retention classes, {@code name=retention} or {@code name=retention:max-size}, comma-separated
     * (e.g. {@code debug=1d:10G,audit=400d}): documents naming a class are kept in its own
     * segments for its retention. Absent: none (every document gets {@code segments.retention}).
     */
    Optional<List<String>> retentionClasses();

    /** The top-level field a document names its retention class in. */
    @WithDefault("retention")
    String retentionClassField();

    /** {@code segments.cluster.*}. */
    Cluster cluster();

    /** The engine's settings, validated; errors name the key. See {@link StoreConfigMapper}. */
    default StoreConfig toStoreConfig() {
        return StoreConfigMapper.toStoreConfig(this);
    }

    /** {@code segments.archive.*}: where archived segments go (SPEC §10). */
    Archive archive();

    /** {@code segments.archive.*} (SPEC §10). */
    interface Archive {
        /** {@code local} (the archive directory) or {@code s3} (an object store). */
        @WithDefault("local")
        String target();

        /** Bytes of the data volume kept for archived segments read back from the object store. */
        @WithDefault("1G")
        @WithConverter(SizeValueConverter.class)
        long cacheSize();

        /** {@code segments.archive.s3.*}. */
        S3 s3();
    }

    /** {@code segments.archive.s3.*}; credentials come from the AWS default chain, never from here. */
    interface S3 {
        /** Required with {@code target=s3}. */
        Optional<String> bucket();

        @WithDefault("segments/")
        String prefix();

        /** Absent: the SDK's endpoint for the region. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** {@code true} for most S3-compatible servers (MinIO, Ceph RGW, S3Proxy). */
        @WithDefault("false")
        boolean pathStyle();
    }

    /** {@code segments.cluster.*} (SPEC §9). */
    interface Cluster {
        /** {@code node-id=base-url,…}; absent: a single node. */
        Optional<String> peers();
    }
}
