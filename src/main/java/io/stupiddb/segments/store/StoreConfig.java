package io.stupiddb.segments.store;

import io.stupiddb.segments.cold.ColdSettings;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.segment.ColumnSettings;
import io.stupiddb.segments.segment.DurabilityMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a {@link SegmentStore} needs to know, as plain values (the service maps
 * {@code segments.*} onto it; tests and the bench build it). Validated on construction with
 * messages that name the configuration key. Build it with {@link #builder(Path)}: every setting
 * starts at its SPEC §4 default and is named where it is changed.
 *
 * @param dataDir             where segments live ({@code segments.data-dir})
 * @param maxSegmentAge       rotate when the active segment is this old
 * @param maxSegmentSize      rotate when the active segment's file reaches this many bytes
 * @param retention           evict segments whose newest timestamp is older than this
 * @param maxTotalSize        also evict the oldest segments while the store is larger (empty: no cap)
 * @param archiveAfter        archive sealed segments this old (empty: never)
 * @param archiveDir          where archived segments go (empty: {@code <data-dir>/archive})
 * @param compression         codec of new segments
 * @param compressionLevel    zstd level of new segments
 * @param archiveCompressionLevel zstd level when archiving
 * @param fsync               durability mode of appends
 * @param fsyncInterval       sync period for {@link DurabilityMode#INTERVAL}
 * @param maxDocumentSize     largest MessagePack encoding of one document, in bytes
 * @param maxClockSkew        how far in the future a timestamp may be
 * @param minFreeDisk         writes are refused below this many free bytes in the data directory
 * @param nodeId              the node number stamped into every id (0-1023)
 * @param columns             which fields compacted (format v2) segments keep as columns
 *                            ({@code segments.indexed-fields} / {@code segments.unindexed-fields})
 * @param coldTier            archive to an object store instead of {@code archiveDir}
 *                            ({@code segments.archive.target=s3}, SPEC §10); empty: the archive directory
 */
public record StoreConfig(
        Path dataDir,
        Duration maxSegmentAge,
        long maxSegmentSize,
        Duration retention,
        OptionalLong maxTotalSize,
        Optional<Duration> archiveAfter,
        Optional<Path> archiveDir,
        Codec compression,
        int compressionLevel,
        int archiveCompressionLevel,
        DurabilityMode fsync,
        Duration fsyncInterval,
        long maxDocumentSize,
        Duration maxClockSkew,
        long minFreeDisk,
        int nodeId,
        ColumnSettings columns,
        Optional<ColdSettings> coldTier,
        RetentionClasses retentionClasses) {

    public StoreConfig {
        Objects.requireNonNull(dataDir, "segments.data-dir");
        positive(maxSegmentAge, "segments.max-segment-age");
        positive(retention, "segments.retention");
        positive(fsyncInterval, "segments.fsync-interval");
        Objects.requireNonNull(maxClockSkew, "segments.max-clock-skew");
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException(
                    "segments.max-clock-skew must not be negative: " + ConfigValues.duration(maxClockSkew));
        }
        if (maxSegmentSize < 4096) {
            throw new IllegalArgumentException(
                    "segments.max-segment-size must be at least 4K: " + ConfigValues.size(maxSegmentSize));
        }
        if (maxTotalSize.isPresent() && maxTotalSize.getAsLong() <= 0) {
            throw new IllegalArgumentException(
                    "segments.max-total-size must be positive: " + ConfigValues.size(maxTotalSize.getAsLong()));
        }
        archiveAfter.ifPresent(d -> positive(d, "segments.archive-after"));
        Objects.requireNonNull(compression, "segments.compression");
        zstdLevel(compressionLevel, "segments.compression-level");
        zstdLevel(archiveCompressionLevel, "segments.archive-compression-level");
        Objects.requireNonNull(fsync, "segments.fsync");
        if (maxDocumentSize < 64 || maxDocumentSize > 64L << 20) {
            throw new IllegalArgumentException("segments.max-document-size must be between 64 bytes and 64M: "
                    + ConfigValues.size(maxDocumentSize));
        }
        if (minFreeDisk < 0) {
            throw new IllegalArgumentException(
                    "segments.min-free-disk must not be negative: " + ConfigValues.size(minFreeDisk));
        }
        if (nodeId < 0 || nodeId > 1023) {
            throw new IllegalArgumentException("segments.node-id must be 0-1023: " + nodeId);
        }
        Objects.requireNonNull(columns, "segments.indexed-fields");
        Objects.requireNonNull(coldTier, "segments.archive.target");
        Objects.requireNonNull(retentionClasses, "segments.retention-classes");
    }

    /** The defaults of SPEC §4 for a data directory. */
    public static StoreConfig defaults(Path dataDir) {
        return builder(dataDir).build();
    }

    /** A builder starting from the defaults of SPEC §4. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(dataDir)
                .maxSegmentAge(maxSegmentAge)
                .maxSegmentSize(maxSegmentSize)
                .retention(retention)
                .maxTotalSize(maxTotalSize)
                .archiveAfter(archiveAfter)
                .archiveDir(archiveDir)
                .compression(compression)
                .compressionLevel(compressionLevel)
                .archiveCompressionLevel(archiveCompressionLevel)
                .fsync(fsync)
                .fsyncInterval(fsyncInterval)
                .maxDocumentSize(maxDocumentSize)
                .maxClockSkew(maxClockSkew)
                .minFreeDisk(minFreeDisk)
                .nodeId(nodeId)
                .columns(columns)
                .coldTier(coldTier)
                .retentionClasses(retentionClasses);
    }

    /** Where archived segments live. */
    public Path archivePath() {
        return archiveDir.orElse(dataDir.resolve("archive"));
    }

    /** Settings by name, each starting at its SPEC §4 default; {@link #build} validates them together. */
    public static final class Builder {
        private Path dataDir;
        private Duration maxSegmentAge = Duration.ofHours(1);
        private long maxSegmentSize = 100L << 20;
        private Duration retention = Duration.ofDays(30);
        private OptionalLong maxTotalSize = OptionalLong.empty();
        private Optional<ColdSettings> coldTier = Optional.empty();
        private Optional<Duration> archiveAfter = Optional.empty();
        private Optional<Path> archiveDir = Optional.empty();
        private Codec compression = Codec.ZSTD;
        private int compressionLevel = 3;
        private int archiveCompressionLevel = 19;
        private DurabilityMode fsync = DurabilityMode.ALWAYS;
        private Duration fsyncInterval = Duration.ofSeconds(1);
        private long maxDocumentSize = 1L << 20;
        private Duration maxClockSkew = Duration.ofHours(1);
        private long minFreeDisk = 256L << 20;
        private int nodeId;
        private ColumnSettings columns = ColumnSettings.DEFAULT;
        private RetentionClasses retentionClasses = RetentionClasses.NONE;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder columns(ColumnSettings value) {
            this.columns = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder maxSegmentAge(Duration value) {
            maxSegmentAge = value;
            return this;
        }

        public Builder maxSegmentSize(long bytes) {
            maxSegmentSize = bytes;
            return this;
        }

        public Builder retention(Duration value) {
            retention = value;
            return this;
        }

        public Builder maxTotalSize(OptionalLong bytes) {
            maxTotalSize = bytes;
            return this;
        }

        public Builder maxTotalSize(long bytes) {
            return maxTotalSize(OptionalLong.of(bytes));
        }

        public Builder archiveAfter(Optional<Duration> value) {
            archiveAfter = value;
            return this;
        }

        public Builder archiveAfter(Duration value) {
            return archiveAfter(Optional.of(value));
        }

        public Builder archiveDir(Optional<Path> value) {
            archiveDir = value;
            return this;
        }

        public Builder archiveDir(Path value) {
            return archiveDir(Optional.of(value));
        }

        public Builder compression(Codec value) {
            compression = value;
            return this;
        }

        public Builder compressionLevel(int value) {
            compressionLevel = value;
            return this;
        }

        public Builder archiveCompressionLevel(int value) {
            archiveCompressionLevel = value;
            return this;
        }

        public Builder fsync(DurabilityMode value) {
            fsync = value;
            return this;
        }

        public Builder fsyncInterval(Duration value) {
            fsyncInterval = value;
            return this;
        }

        public Builder maxDocumentSize(long bytes) {
            maxDocumentSize = bytes;
            return this;
        }

        public Builder maxClockSkew(Duration value) {
            maxClockSkew = value;
            return this;
        }

        public Builder minFreeDisk(long bytes) {
            minFreeDisk = bytes;
            return this;
        }

        public Builder nodeId(int value) {
            nodeId = value;
            return this;
        }

        /** Archive to this bucket ({@code segments.archive.target=s3}); empty: the archive directory. */
        public Builder coldTier(Optional<ColdSettings> value) {
            coldTier = value;
            return this;
        }

        /** {@code segments.retention-classes} and {@code segments.retention-class-field}. */
        public Builder retentionClasses(RetentionClasses value) {
            retentionClasses = value;
            return this;
        }

        public Builder coldTier(ColdSettings value) {
            return coldTier(Optional.of(value));
        }

        /** @throws IllegalArgumentException naming the key of the first invalid setting */
        public StoreConfig build() {
            return new StoreConfig(
                    dataDir,
                    maxSegmentAge,
                    maxSegmentSize,
                    retention,
                    maxTotalSize,
                    archiveAfter,
                    archiveDir,
                    compression,
                    compressionLevel,
                    archiveCompressionLevel,
                    fsync,
                    fsyncInterval,
                    maxDocumentSize,
                    maxClockSkew,
                    minFreeDisk,
                    nodeId,
                    columns,
                    coldTier,
                    retentionClasses);
        }
    }

    private static void positive(Duration duration, String key) {
        Objects.requireNonNull(duration, key);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(key + " must be positive: " + ConfigValues.duration(duration));
        }
    }

    private static void zstdLevel(int level, String key) {
        if (level < 1 || level > 22) {
            throw new IllegalArgumentException(key + " must be a zstd level 1-22: " + level);
        }
    }
}
