package io.stupiddb.segments.service.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EffectiveSettingsTest {

    /** The line from a config built the way Quarkus builds it, defaults included. */
    private static String line(Map<String, String> properties, int nodeId) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SegmentsConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return EffectiveSettings.line(key -> ConfigStartupCheck.rawValue(config, key), nodeId);
    }

    @Test
    void defaultsAreShownAsTheSpecWritesThem() {
        assertEquals(
                "settings in effect: segments.data-dir=./data, segments.max-segment-age=1h,"
                        + " segments.max-segment-size=100M, segments.retention=30d, segments.max-total-size=none,"
                        + " segments.archive-after=none, segments.archive-dir=none, segments.compression=zstd,"
                        + " segments.compression-level=3, segments.archive-compression-level=19, segments.fsync=always,"
                        + " segments.fsync-interval=1s, segments.max-document-size=1M, segments.max-request-size=16M,"
                        + " segments.timestamp-field=timestamp, segments.max-clock-skew=1h, segments.min-free-disk=256M,"
                        + " segments.rotation-check-interval=10s, segments.retention-check-interval=1m,"
                        + " segments.scrub-interval=1h, segments.scrub-rate=8M,"
                        + " segments.api-key=unset, segments.node-id=3 (not set: the hostname's ordinal, else 0), segments.cluster.peers=none,"
                        + " segments.archive.target=local, segments.archive.cache-size=1G, segments.archive.s3.bucket=none,"
                        + " segments.archive.s3.prefix=segments/, segments.archive.s3.endpoint=none,"
                        + " segments.archive.s3.region=us-east-1, segments.archive.s3.path-style=false,"
                        + " segments.indexed-fields=none, segments.unindexed-fields=none,"
                        + " segments.retention-classes=none, segments.retention-class-field=retention",
                line(Map.of(), 3));
    }

    @Test
    void configuredValuesAreEchoedAsWrittenAndTheApiKeyNever() {
        String line = line(
                Map.of(
                        "segments.retention",
                        "7d",
                        "segments.max-total-size",
                        "10G",
                        "segments.max-clock-skew",
                        "PT2H",
                        "segments.max-segment-size",
                        "65536",
                        "segments.api-key",
                        "s3cret-value",
                        "segments.node-id",
                        "7"),
                0);
        assertTrue(line.contains("segments.retention=7d,"), line);
        assertTrue(line.contains("segments.max-total-size=10G,"), line);
        assertTrue(line.contains("segments.max-clock-skew=PT2H,"), line);
        assertTrue(line.contains("segments.max-segment-size=65536,"), line);
        assertTrue(line.contains("segments.api-key=set,"), line);
        assertTrue(line.contains("segments.node-id=7,"), line);
        assertFalse(line.contains("s3cret"), line);
    }

    @Test
    void everyKeyAppearsOnce() {
        String line = line(Map.of(), 0);
        for (String key : SegmentsConfig.KEYS) {
            assertEquals(line.indexOf(key + "="), line.lastIndexOf(key + "="), key);
            assertTrue(line.contains(key + "="), key);
        }
    }
}
