package io.stupiddb.segments.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static io.stupiddb.segments.deploy.Chart.values;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** values.schema.json makes bad values fail before anything reaches the cluster. */
class HelmValuesSchemaTest {

    /** A bad value and the text the failure must name (the offending field). */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(values("replicaCount", 0), "replicaCount"),
                Arguments.of(values("replicaCount", -1), "replicaCount"),
                Arguments.of(values("replicaCount", "two"), "replicaCount"),
                Arguments.of(values("replicaCount", 1.5), "replicaCount"),
                Arguments.of(values("segments.fsync", "sometimes"), "fsync"),
                Arguments.of(values("segments.compression", "gzip"), "compression"),
                Arguments.of(values("segments.compressionLevel", 23), "compressionLevel"),
                Arguments.of(values("segments.archiveCompressionLevel", 0), "archiveCompressionLevel"),
                Arguments.of(values("segments.compressionLevel", "high"), "compressionLevel"),
                Arguments.of(values("segments.indexedFields", "trace_id,,http.status"), "indexedFields"),
                Arguments.of(values("segments.unindexedFields", "http..status"), "unindexedFields"),
                Arguments.of(values("segments.retentionClasses", "debug=1 day"), "retentionClasses"),
                Arguments.of(values("segments.retentionClasses", "Debug=1d"), "retentionClasses"),
                Arguments.of(values("segments.retentionClasses", "debug=1d:10GB"), "retentionClasses"),
                Arguments.of(values("segments.retentionClasses", "debug=1d,"), "retentionClasses"),
                Arguments.of(values("segments.retentionClassField", "my field"), "retentionClassField"),
                Arguments.of(values("segments.retention", "30 days"), "retention"),
                Arguments.of(values("segments.maxSegmentAge", "1H"), "maxSegmentAge"),
                Arguments.of(values("segments.fsyncInterval", "1.5s"), "fsyncInterval"),
                Arguments.of(values("segments.maxSegmentSize", "100MB"), "maxSegmentSize"),
                Arguments.of(values("segments.minFreeDisk", "1.5G"), "minFreeDisk"),
                Arguments.of(values("segments.dataDir", "./data"), "dataDir"),
                Arguments.of(values("segments.nodeId", 2), "nodeId"),
                Arguments.of(values("segments.retentionn", "7d"), "retentionn"),
                Arguments.of(values("replicas", 3), "replicas"),
                Arguments.of(values("persistence.size", "20GB"), "size"),
                Arguments.of(
                        values("persistence.persistentVolumeClaimRetentionPolicy.whenScaled", "Keep"), "whenScaled"),
                Arguments.of(values("image.pullPolicy", "Sometimes"), "pullPolicy"),
                Arguments.of(values("podAnnotations", Map.of("prometheus.io/port", 9000)), "podAnnotations"),
                Arguments.of(values("serviceMonitor.interval", "often"), "interval"),
                Arguments.of(values("probes.startup.failureThreshold", 0), "failureThreshold"),
                Arguments.of(values("apiKey.create", "yes"), "create"),
                Arguments.of(values("shutdown.delay", "5 seconds"), "delay"),
                Arguments.of(values("shutdown.timeout", ""), "timeout"),
                Arguments.of(values("shutdown.grace", "5s"), "grace"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badValues")
    void rejects(Map<String, Object> values, String field) {
        var failure = assertThrows(IllegalStateException.class, () -> Chart.render(values));
        String message = failure.getMessage();
        assertTrue(message.contains("schema"), () -> "fails on the values schema: " + message);
        assertTrue(message.contains(field), () -> "the failure names " + field + ": " + message);
    }

    static Stream<Map<String, Object>> goodEdgeValues() {
        return Stream.of(
                values("replicaCount", 1),
                values("segments.compressionLevel", 1, "segments.archiveCompressionLevel", 22),
                values("segments.indexedFields", "trace_id,http.status", "segments.unindexedFields", "stack"),
                values("segments.retentionClasses", "debug=1d:10G,audit=400d", "segments.retentionClassField", "keep"),
                values(
                        "segments.fsyncInterval",
                        "500ms",
                        "segments.retention",
                        "365d",
                        "segments.maxSegmentAge",
                        "90m"),
                values(
                        "segments.maxSegmentSize",
                        "1073741824",
                        "segments.maxTotalSize",
                        "2T",
                        "segments.minFreeDisk",
                        "512K"),
                values("segments.compression", "none", "segments.fsync", "never"),
                values("podDisruptionBudget.maxUnavailable", "50%"),
                values("shutdown.delay", "0s", "shutdown.timeout", "500ms"));
    }

    @ParameterizedTest
    @MethodSource("goodEdgeValues")
    void acceptsValidEdgeValues(Map<String, Object> values) {
        assertDoesNotThrow(() -> Manifests.validateAll(Chart.render(values)));
    }

    @Test
    void rejectsKubernetesOlderThanTheChartSupports() {
        var failure = assertThrows(
                IllegalStateException.class,
                () -> Chart.helm()
                        .template()
                        .withName("old")
                        .withKubeVersion("v1.26.0")
                        .call());
        assertTrue(failure.getMessage().contains("kubeVersion"), failure::getMessage);
    }
}
