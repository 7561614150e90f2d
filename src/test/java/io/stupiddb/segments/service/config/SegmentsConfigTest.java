package io.stupiddb.segments.service.config;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.stupiddb.segments.cold.ColdSettings;
import io.stupiddb.segments.format.Codec;
import io.stupiddb.segments.segment.DurabilityMode;
import io.stupiddb.segments.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentsConfigTest {

    @Test
    void defaultsAreTheSpecsAndMapToTheEngineDefaults() {
        SegmentsConfig config = TestConfigs.of(Map.of());
        assertEquals("./data", config.dataDir());
        assertEquals(Duration.ofHours(1), config.maxSegmentAge());
        assertEquals(100L << 20, config.maxSegmentSize());
        assertEquals(Duration.ofDays(30), config.retention());
        assertEquals(Optional.empty(), config.maxTotalSize());
        assertEquals(Optional.empty(), config.archiveAfter());
        assertEquals(Optional.empty(), config.archiveDir());
        assertEquals(Codec.ZSTD, config.compression());
        assertEquals(3, config.compressionLevel());
        assertEquals(19, config.archiveCompressionLevel());
        assertEquals(DurabilityMode.ALWAYS, config.fsync());
        assertEquals(Duration.ofSeconds(1), config.fsyncInterval());
        assertEquals(1L << 20, config.maxDocumentSize());
        assertEquals(16L << 20, config.maxRequestSize());
        assertEquals("timestamp", config.timestampField());
        assertEquals(Duration.ofHours(1), config.maxClockSkew());
        assertEquals(256L << 20, config.minFreeDisk());
        assertEquals(Duration.ofSeconds(10), config.rotationCheckInterval());
        assertEquals(Duration.ofMinutes(1), config.retentionCheckInterval());
        assertEquals(Optional.empty(), config.apiKey());
        assertEquals(Optional.empty(), config.nodeId());
        assertEquals(Optional.empty(), config.cluster().peers());

        assertEquals(StoreConfig.defaults(Path.of("./data")), StoreConfigMapper.toStoreConfig(config, () -> "laptop"));
        StoreConfigMapper.validate(config, () -> "laptop");
    }

    @Test
    void everySpecKeyIsMappedUnderItsSpecName() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("segments.data-dir", "/data/segments");
        all.put("segments.max-segment-age", "30m");
        all.put("segments.max-segment-size", "64M");
        all.put("segments.retention", "7d");
        all.put("segments.max-total-size", "10G");
        all.put("segments.archive-after", "1d");
        all.put("segments.archive-dir", "/archive");
        all.put("segments.compression", "none");
        all.put("segments.compression-level", "5");
        all.put("segments.archive-compression-level", "22");
        all.put("segments.fsync", "interval");
        all.put("segments.fsync-interval", "250ms");
        all.put("segments.max-document-size", "2M");
        all.put("segments.max-request-size", "32M");
        all.put("segments.timestamp-field", "@timestamp");
        all.put("segments.max-clock-skew", "5m");
        all.put("segments.min-free-disk", "1G");
        all.put("segments.rotation-check-interval", "5s");
        all.put("segments.retention-check-interval", "2m");
        all.put("segments.scrub-interval", "6h");
        all.put("segments.scrub-rate", "2M");
        all.put("segments.api-key", "s3cret");
        all.put("segments.node-id", "7");
        all.put("segments.cluster.peers", "0=http://a:8080,1=http://b:8080");
        all.put("segments.archive.target", "s3");
        all.put("segments.archive.cache-size", "2G");
        all.put("segments.archive.s3.bucket", "logs");
        all.put("segments.archive.s3.prefix", "store/");
        all.put("segments.archive.s3.endpoint", "http://minio:9000");
        all.put("segments.archive.s3.region", "eu-west-1");
        all.put("segments.archive.s3.path-style", "true");
        all.put("segments.indexed-fields", "trace_id");
        all.put("segments.unindexed-fields", "stack,http.user_agent");
        all.put("segments.retention-classes", "debug=1d");
        all.put("segments.retention-class-field", "keep");
        assertEquals(Set.copyOf(SegmentsConfig.KEYS), all.keySet());

        SegmentsConfig config = TestConfigs.of(all);
        assertEquals(Duration.ofMillis(250), config.fsyncInterval());
        assertEquals(Duration.ofHours(6), config.scrubInterval());
        assertEquals(2L << 20, config.scrubRate());
        assertEquals(32L << 20, config.maxRequestSize());
        assertEquals("@timestamp", config.timestampField());
        assertEquals(Duration.ofSeconds(5), config.rotationCheckInterval());
        assertEquals(Duration.ofMinutes(2), config.retentionCheckInterval());
        assertEquals(Optional.of("s3cret"), config.apiKey());
        assertEquals(
                Optional.of("0=http://a:8080,1=http://b:8080"), config.cluster().peers());

        StoreConfig store = config.toStoreConfig();
        assertEquals(
                StoreConfig.builder(Path.of("/data/segments"))
                        .maxSegmentAge(Duration.ofMinutes(30))
                        .maxSegmentSize(64L << 20)
                        .retention(Duration.ofDays(7))
                        .maxTotalSize(10L << 30)
                        .archiveAfter(Duration.ofDays(1))
                        .archiveDir(Path.of("/archive"))
                        .compression(Codec.NONE)
                        .compressionLevel(5)
                        .archiveCompressionLevel(22)
                        .fsync(DurabilityMode.INTERVAL)
                        .fsyncInterval(Duration.ofMillis(250))
                        .maxDocumentSize(2L << 20)
                        .maxClockSkew(Duration.ofMinutes(5))
                        .minFreeDisk(1L << 30)
                        .nodeId(7)
                        .coldTier(ColdSettings.of(
                                "logs",
                                "store/",
                                Optional.of(java.net.URI.create("http://minio:9000")),
                                "eu-west-1",
                                true,
                                2L << 30))
                        .columns(io.stupiddb.segments.segment.ColumnSettings.DEFAULT.withPaths(
                                java.util.List.of("trace_id"), java.util.List.of("stack", "http.user_agent")))
                        .retentionClasses(new io.stupiddb.segments.store.RetentionClasses(
                                "keep",
                                java.util.List.of(new io.stupiddb.segments.store.RetentionClass(
                                        "debug", Duration.ofDays(1), java.util.OptionalLong.empty()))))
                        .build(),
                store);
    }

    @Test
    void theArchiveTargetIsLocalOrS3AndS3NeedsABucket() {
        assertEquals(Optional.empty(), TestConfigs.of(Map.of()).toStoreConfig().coldTier());
        var wrongTarget = assertThrows(
                RuntimeException.class,
                () -> TestConfigs.of("segments.archive.target", "gcs").toStoreConfig());
        assertEquals(
                "invalid configuration: segments.archive.target must be local or s3: gcs", wrongTarget.getMessage());
        var noBucket = assertThrows(
                RuntimeException.class,
                () -> TestConfigs.of("segments.archive.target", "s3").toStoreConfig());
        assertTrue(noBucket.getMessage().contains("segments.archive.s3.bucket is required"), noBucket.getMessage());
        var badPrefix = assertThrows(
                RuntimeException.class,
                () -> TestConfigs.of(Map.of(
                                "segments.archive.target", "s3",
                                "segments.archive.s3.bucket", "b",
                                "segments.archive.s3.prefix", "no-slash"))
                        .toStoreConfig());
        assertTrue(badPrefix.getMessage().contains("segments.archive.s3.prefix"), badPrefix.getMessage());
        var badEndpoint = assertThrows(
                RuntimeException.class,
                () -> TestConfigs.of(Map.of(
                                "segments.archive.target", "s3",
                                "segments.archive.s3.bucket", "b",
                                "segments.archive.s3.endpoint", "minio:9000"))
                        .toStoreConfig());
        assertTrue(badEndpoint.getMessage().contains("segments.archive.s3.endpoint"), badEndpoint.getMessage());
        ColdSettings defaults = TestConfigs.of(
                        Map.of("segments.archive.target", "s3", "segments.archive.s3.bucket", "b"))
                .toStoreConfig()
                .coldTier()
                .orElseThrow();
        assertEquals("segments/", defaults.prefix());
        assertEquals("us-east-1", defaults.region());
        assertFalse(defaults.pathStyle());
        assertEquals(1L << 30, defaults.cacheSize());
        assertEquals("segments/node-4/0004-12.seg", defaults.key(4, "0004-12"));
    }

    @Test
    void aMisspelledKeyFailsInsteadOfBeingIgnored() {
        var e = assertThrows(RuntimeException.class, () -> TestConfigs.of("segments.retentoin", "7d"));
        assertTrue(e.getMessage().contains("segments.retentoin"), e.getMessage());
    }

    /** Values that do not parse: SmallRye fails the mapping (i.e. start-up), naming key and value. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "segments.retention | 30x | as a duration (use 500ms, 10s, 1m, 1h, 30d)",
                "segments.max-segment-age | 10 | as a duration",
                "segments.fsync-interval | -1s | as a duration",
                "segments.archive-after | soon | as a duration",
                "segments.max-clock-skew | 1 hour | as a duration",
                "segments.rotation-check-interval | 10sec | as a duration",
                "segments.retention-check-interval | 1.5m | as a duration",
                "segments.scrub-interval | daily | as a duration",
                "segments.scrub-rate | fast | as a size",
                "segments.max-segment-size | 100MB | as a size (use 4096, 100K, 16M, 1G)",
                "segments.max-total-size | lots | as a size",
                "segments.max-document-size | 1.5M | as a size",
                "segments.max-request-size | -16M | as a size",
                "segments.min-free-disk | 256X | as a size",
                "segments.compression | gzip | use zstd or none",
                "segments.fsync | sometimes | use always, interval or never",
                "segments.compression-level | high | high",
                "segments.node-id | two | two",
            })
    void unparsableValuesFailNamingTheKey(String key, String value, String expected) {
        var e = assertThrows(RuntimeException.class, () -> TestConfigs.of(key, value));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Values that parse but break the engine's rules: the mapper re-throws naming the key. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "segments.max-segment-size | 1K | segments.max-segment-size must be at least 4K: 1K",
                "segments.max-segment-age | 0s | segments.max-segment-age must be positive: 0s",
                "segments.retention | 0d | segments.retention must be positive",
                "segments.fsync-interval | 0ms | segments.fsync-interval must be positive",
                "segments.archive-after | 0s | segments.archive-after must be positive",
                "segments.max-total-size | 0 | segments.max-total-size must be positive",
                "segments.compression-level | 0 | segments.compression-level must be a zstd level 1-22: 0",
                "segments.archive-compression-level | 23 | segments.archive-compression-level must be a zstd level 1-22",
                "segments.max-document-size | 32 | segments.max-document-size must be between 64 bytes and 64M: 32",
                "segments.max-document-size | 65M | segments.max-document-size must be between 64 bytes and 64M",
                "segments.node-id | 1024 | segments.node-id must be 0-1023: 1024",
                "segments.node-id | -1 | segments.node-id must be 0-1023: -1",
                "segments.data-dir | '  ' | segments.data-dir must not be blank",
                "segments.max-request-size | 0 | segments.max-request-size must be positive: 0",
                "segments.timestamp-field | ' ' | segments.timestamp-field must not be blank",
                "segments.rotation-check-interval | 0s | segments.rotation-check-interval must be positive",
                "segments.retention-check-interval | 0m | segments.retention-check-interval must be positive",
                "segments.indexed-fields | 'trace_id,a..b' | segments.indexed-fields holds 'a..b': a path is field names joined by dots",
                "segments.unindexed-fields | '.http' | segments.unindexed-fields holds '.http'",
                "segments.scrub-interval | 0s | segments.scrub-interval must be positive",
                "segments.scrub-rate | 0 | segments.scrub-rate must be positive: 0",
            })
    void outOfRangeValuesFailNamingTheKey(String key, String value, String expected) {
        SegmentsConfig config = TestConfigs.of(key, value);
        var e = assertThrows(ConfigurationException.class, () -> StoreConfigMapper.validate(config, () -> "pod"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(Set.of(key), e.getConfigKeys());
        // No cause: Quarkus prints a root-cause ConfigurationException as its message, one line.
        assertEquals(null, e.getCause());
    }

    @Test
    void indexedAndUnindexedFieldsReachTheEngine() {
        SegmentsConfig config = TestConfigs.of(
                Map.of("segments.indexed-fields", "trace_id, http.status", "segments.unindexed-fields", "stack"));
        var columns = config.toStoreConfig().columns();
        assertEquals(java.util.List.of("trace_id", "http.status"), columns.indexed());
        assertEquals(java.util.List.of("stack"), columns.unindexed());
        var both = TestConfigs.of(Map.of("segments.indexed-fields", "a", "segments.unindexed-fields", "a"));
        var e = assertThrows(ConfigurationException.class, () -> StoreConfigMapper.validate(both, () -> "pod"));
        assertTrue(e.getMessage().contains("segments.indexed-fields and segments.unindexed-fields both name a"));
    }

    @Test
    void retentionClassesReachTheEngine() {
        var classes = TestConfigs.of(Map.of(
                        "segments.retention-classes", " debug=1d:10G, audit = 400d ",
                        "segments.retention-class-field", "keep"))
                .toStoreConfig()
                .retentionClasses();
        assertEquals("keep", classes.field());
        assertEquals(
                java.util.List.of(
                        new io.stupiddb.segments.store.RetentionClass(
                                "debug", Duration.ofDays(1), java.util.OptionalLong.of(10L << 30)),
                        new io.stupiddb.segments.store.RetentionClass(
                                "audit", Duration.ofDays(400), java.util.OptionalLong.empty())),
                classes.classes());
        assertEquals("debug=1d:10G", classes.classes().getFirst().toString());
        var none = TestConfigs.of(Map.of()).toStoreConfig().retentionClasses();
        assertEquals("retention", none.field());
        assertTrue(none.isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "debug | 'debug' is not name=retention",
                "=1d | '=1d' is not name=retention",
                "debug=forever | the retention of class 'debug' is not a duration: 'forever' (use 500ms",
                "debug=0d | the retention of class 'debug' must be positive",
                "debug=1d:lots | the size cap of class 'debug' is not a size: 'lots' (use 4096",
                "debug=1d:0 | the size cap of class 'debug' must be positive",
                "Debug=1d | class name 'Debug' must be 1-32 lower-case letters",
                "default=1d | 'default' is the class of documents that name none",
                "a/b=1d | class name 'a/b' must be",
                "debug=1d,debug=2d | names class 'debug' twice",
            })
    void aBadRetentionClassFailsStartUpNamingTheKey(String value, String message) {
        var config = TestConfigs.of(Map.of("segments.retention-classes", value));
        var e = assertThrows(ConfigurationException.class, config::toStoreConfig);
        assertTrue(e.getMessage().startsWith("invalid configuration: segments.retention-classes"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(Set.of("segments.retention-classes"), e.getConfigKeys());
    }

    @Test
    void anEmptyRetentionClassFieldFailsStartUp() {
        var e = assertThrows(
                ConfigurationException.class,
                () -> TestConfigs.of(Map.of("segments.retention-class-field", " "))
                        .toStoreConfig());
        assertTrue(e.getMessage().contains("segments.retention-class-field must not be empty"), e.getMessage());
    }

    @Test
    void aHostnameOrdinalOutsideTheNodeRangeFailsNamingNodeId() {
        SegmentsConfig config = TestConfigs.of(Map.of());
        var e = assertThrows(
                ConfigurationException.class,
                () -> StoreConfigMapper.toStoreConfig(config, () -> "segment-store-1024"));
        assertEquals(Set.of("segments.node-id"), e.getConfigKeys());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "segment-store-2, 2",
        "segment-store-0, 0",
        "segment-store-17.segment-store-headless.default.svc.cluster.local, 17",
        "laptop, 0",
        "web-abc, 0",
        "host42, 0",
        "'', 0",
        "-3, 3",
        "segment-store-2-, 0",
        "a-9.b-7, 9",
    })
    void nodeIdDefaultsToTheHostnameOrdinal(String hostname, int expected) {
        assertEquals(expected, StoreConfigMapper.nodeId(Optional.empty(), () -> hostname));
        assertEquals(
                expected, TestConfigs.of(Map.of()).nodeId().orElseGet(() -> StoreConfigMapper.ordinalOf(hostname)));
    }

    @Test
    void aConfiguredNodeIdWinsOverTheHostname() {
        SegmentsConfig config = TestConfigs.of("segments.node-id", "5");
        assertEquals(
                5,
                StoreConfigMapper.toStoreConfig(config, () -> "segment-store-2").nodeId());
        assertEquals(0, StoreConfigMapper.nodeId(Optional.empty(), () -> null));
    }
}
