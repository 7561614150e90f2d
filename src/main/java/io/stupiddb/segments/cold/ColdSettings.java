package io.stupiddb.segments.cold;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how archived segments go to an object store (SPEC §10, {@code segments.archive.*}
 * with {@code segments.archive.target=s3}). Validated on construction with messages that name
 * the key. Credentials are never here: they come from the AWS default chain (environment, web
 * identity / IRSA, instance profile).
 *
 * <p>Object naming: node N's segment {@code S} is the object {@code <prefix>node-<N>/<S>.seg}, so
 * two nodes never write the same key and a node finds its own segments by listing its prefix.
 * Immutable, so thread-safe.
 *
 * @param bucket        {@code segments.archive.s3.bucket} (required)
 * @param prefix        {@code segments.archive.s3.prefix}, default {@code segments/}; empty or ending in {@code /}
 * @param endpoint      {@code segments.archive.s3.endpoint}; empty: the SDK's endpoint for the region
 * @param region        {@code segments.archive.s3.region}, default {@code us-east-1}
 * @param pathStyle     {@code segments.archive.s3.path-style}: {@code bucket} in the path, not the host name
 * @param cacheSize     {@code segments.archive.cache-size}: bytes of the data volume kept for objects read back
 * @param partSize      uploads larger than this are multipart, in parts of this size (at least 5 MiB, S3's minimum)
 * @param scanBlockSize a scan of an archived segment reads its records in ranged GETs of about this many bytes
 *                      (whole records; one block is read ahead), so a scan holds at most about two blocks
 */
public record ColdSettings(
        String bucket,
        String prefix,
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        long cacheSize,
        long partSize,
        long scanBlockSize) {

    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    /** 8 MiB: large enough that a GET's latency is small beside its transfer, small enough to hold two. */
    public static final long DEFAULT_SCAN_BLOCK_SIZE = 8L * 1024 * 1024;

    public ColdSettings {
        Objects.requireNonNull(bucket, "segments.archive.s3.bucket");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException(
                    "segments.archive.s3.bucket is required with segments.archive.target=s3");
        }
        Objects.requireNonNull(prefix, "segments.archive.s3.prefix");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("segments.archive.s3.prefix must be empty or end with '/': " + prefix);
        }
        if (prefix.startsWith("/")) {
            throw new IllegalArgumentException("segments.archive.s3.prefix must not start with '/': " + prefix);
        }
        Objects.requireNonNull(endpoint, "segments.archive.s3.endpoint");
        endpoint.ifPresent(uri -> {
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException(
                        "segments.archive.s3.endpoint must be an http:// or https:// URL: " + uri);
            }
        });
        Objects.requireNonNull(region, "segments.archive.s3.region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("segments.archive.s3.region must not be empty");
        }
        if (cacheSize <= 0) {
            throw new IllegalArgumentException("segments.archive.cache-size must be positive: " + cacheSize);
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("multipart part size must be at least 5M: " + partSize);
        }
        if (scanBlockSize <= 0) {
            throw new IllegalArgumentException("scan block size must be positive: " + scanBlockSize);
        }
    }

    /** The settings of SPEC §10 with the default part size. */
    public static ColdSettings of(
            String bucket, String prefix, Optional<URI> endpoint, String region, boolean pathStyle, long cacheSize) {
        return new ColdSettings(
                bucket, prefix, endpoint, region, pathStyle, cacheSize, DEFAULT_PART_SIZE, DEFAULT_SCAN_BLOCK_SIZE);
    }

    /** The same settings with another multipart part size (tests and the bench use small parts). */
    public ColdSettings withPartSize(long bytes) {
        return new ColdSettings(bucket, prefix, endpoint, region, pathStyle, cacheSize, bytes, scanBlockSize);
    }

    /** The same settings with another scan block size (tests use small blocks to cross many). */
    public ColdSettings withScanBlockSize(long bytes) {
        return new ColdSettings(bucket, prefix, endpoint, region, pathStyle, cacheSize, partSize, bytes);
    }

    /** The same settings under another key prefix (tests keep each store under its own). */
    public ColdSettings withPrefix(String otherPrefix) {
        return new ColdSettings(bucket, otherPrefix, endpoint, region, pathStyle, cacheSize, partSize, scanBlockSize);
    }

    /** The same settings with another cache size. */
    public ColdSettings withCacheSize(long bytes) {
        return new ColdSettings(bucket, prefix, endpoint, region, pathStyle, bytes, partSize, scanBlockSize);
    }

    /** The key prefix of one node's objects: {@code <prefix>node-<N>/}. */
    public String nodePrefix(int nodeId) {
        return prefix + "node-" + nodeId + "/";
    }

    /** The object key of one segment of one node. */
    public String key(int nodeId, String segmentId) {
        return nodePrefix(nodeId) + segmentId + ".seg";
    }

    /** {@code s3://bucket/key}, as journaled and shown. */
    public String location(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
