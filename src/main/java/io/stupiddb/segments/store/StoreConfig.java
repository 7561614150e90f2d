package io.stupiddb.segments.store;

import io.stupiddb.segments.segment.DurabilityMode;

import io.stupiddb.segments.format.Codec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything a {@link SegmentStore} needs to know, as plain values (the service maps
 * {@code segments.*} onto it; tests build it directly). Validated on construction with messages
 * that name the configuration key.
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
 */
public record StoreConfig(Path dataDir, Duration maxSegmentAge, long maxSegmentSize, Duration retention,
                          OptionalLong maxTotalSize, Optional<Duration> archiveAfter, Optional<Path> archiveDir,
                          Codec compression, int compressionLevel, int archiveCompressionLevel,
                          DurabilityMode fsync, Duration fsyncInterval, long maxDocumentSize, Duration maxClockSkew,
                          long minFreeDisk, int nodeId) {

    public StoreConfig {
        Objects.requireNonNull(dataDir, "segments.data-dir");
        positive(maxSegmentAge, "segments.max-segment-age");
        positive(retention, "segments.retention");
        positive(fsyncInterval, "segments.fsync-interval");
        Objects.requireNonNull(maxClockSkew, "segments.max-clock-skew");
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("segments.max-clock-skew must not be negative: " + maxClockSkew);
        }
        if (maxSegmentSize < 4096) {
            throw new IllegalArgumentException("segments.max-segment-size must be at least 4K: " + maxSegmentSize);
        }
        if (maxTotalSize.isPresent() && maxTotalSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("segments.max-total-size must be positive: " + maxTotalSize.getAsLong());
        }
        archiveAfter.ifPresent(d -> positive(d, "segments.archive-after"));
        Objects.requireNonNull(compression, "segments.compression");
        zstdLevel(compressionLevel, "segments.compression-level");
        zstdLevel(archiveCompressionLevel, "segments.archive-compression-level");
        Objects.requireNonNull(fsync, "segments.fsync");
        if (maxDocumentSize < 64 || maxDocumentSize > 64L << 20) {
            throw new IllegalArgumentException("segments.max-document-size must be between 64 bytes and 64M: "
                    + maxDocumentSize);
        }
        if (minFreeDisk < 0) {
            throw new IllegalArgumentException("segments.min-free-disk must not be negative: " + minFreeDisk);
        }
        if (nodeId < 0 || nodeId > 1023) {
            throw new IllegalArgumentException("segments.node-id must be 0-1023: " + nodeId);
        }
    }

    /** The defaults of SPEC §4 for a data directory (tests and embedded use). */
    public static StoreConfig defaults(Path dataDir) {
        return new StoreConfig(dataDir, Duration.ofHours(1), 100L << 20, Duration.ofDays(30), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Codec.ZSTD, 3, 19, DurabilityMode.ALWAYS, Duration.ofSeconds(1),
                1L << 20, Duration.ofHours(1), 256L << 20, 0);
    }

    /** Where archived segments live. */
    public Path archivePath() {
        return archiveDir.orElse(dataDir.resolve("archive"));
    }

    public StoreConfig withDataDir(Path dir) {
        return new StoreConfig(dir, maxSegmentAge, maxSegmentSize, retention, maxTotalSize, archiveAfter, archiveDir,
                compression, compressionLevel, archiveCompressionLevel, fsync, fsyncInterval, maxDocumentSize,
                maxClockSkew, minFreeDisk, nodeId);
    }

    public StoreConfig withMinFreeDisk(long bytes) {
        return new StoreConfig(dataDir, maxSegmentAge, maxSegmentSize, retention, maxTotalSize, archiveAfter, archiveDir,
                compression, compressionLevel, archiveCompressionLevel, fsync, fsyncInterval, maxDocumentSize,
                maxClockSkew, bytes, nodeId);
    }

    private static void positive(Duration duration, String key) {
        Objects.requireNonNull(duration, key);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(key + " must be positive: " + duration);
        }
    }

    private static void zstdLevel(int level, String key) {
        if (level < 1 || level > 22) {
            throw new IllegalArgumentException(key + " must be a zstd level 1-22: " + level);
        }
    }
}
