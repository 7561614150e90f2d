package io.stupiddb.segments.deploy;

import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validator the other deployment tests rely on really catches mistakes. */
class ManifestValidatorTest {

    private static final String STATEFULSET = PlainManifests.read(PlainManifests.DIR.resolve("statefulset.yaml"));

    private static Manifests.InvalidManifestException rejects(String yaml) {
        return assertThrows(Manifests.InvalidManifestException.class, () -> Manifests.validateAll(yaml));
    }

    @Test
    void acceptsTheRealStatefulSet() {
        var objects = assertDoesNotThrow(() -> Manifests.validateAll(STATEFULSET));
        assertTrue(objects.getFirst().typed() instanceof V1StatefulSet);
    }

    @Test
    void rejectsAMisspelledField() {
        String broken = replaceOnce(STATEFULSET, "  volumeClaimTemplates:", "  volumeClaimTemplate:");
        var failure = rejects(broken);
        assertTrue(failure.getMessage().contains("volumeClaimTemplate"), failure::getMessage);
    }

    @Test
    void rejectsAWrongType() {
        String broken = replaceOnce(STATEFULSET, "  replicas: 3", "  replicas: \"two\"");
        rejects(broken);
    }

    @Test
    void rejectsTheBrokenStatefulSetOfTheBrief() {
        String broken = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: broken
                spec:
                  replicas: "two"
                  serviceName: broken-headless
                  selector:
                    matchLabels: {app: broken}
                  template:
                    metadata:
                      labels: {app: broken}
                    spec:
                      containers:
                        - name: app
                          image: stupiddb/segment-store:0.1.0
                  volumeClaimTemplate:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: 1Gi}}
                """;
        rejects(broken);
        rejects(broken.replace("replicas: \"two\"", "replicas: 2"));
        rejects(broken.replace("volumeClaimTemplate:", "volumeClaimTemplates:"));
        assertDoesNotThrow(() -> Manifests.validateAll(broken.replace("replicas: \"two\"", "replicas: 2")
                .replace("volumeClaimTemplate:", "volumeClaimTemplates:")));
    }

    @Test
    void rejectsANestedTypo() {
        String broken = replaceOnce(
                STATEFULSET,
                "containerPort: 8080\n              protocol: TCP",
                "containerPort: 8080\n              protocl: TCP");
        var failure = rejects(broken);
        assertTrue(failure.getMessage().contains("protocl"), failure::getMessage);
    }

    @Test
    void rejectsAMissingRequiredField() {
        rejects(replaceOnce(STATEFULSET, "        - name: segment-store\n          image:", "        - image:"));
    }

    @Test
    void rejectsAnInvalidQuantity() {
        rejects(replaceOnce(STATEFULSET, "storage: 20Gi", "storage: 20GB"));
    }

    @Test
    void rejectsNonStringConfigMapDataAndAnnotations() {
        rejects("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                data:
                  SEGMENTS_COMPRESSION_LEVEL: 3
                """);
        rejects(replaceOnce(STATEFULSET, "prometheus.io/port: \"9000\"", "prometheus.io/port: 9000"));
    }

    @Test
    void rejectsUnknownKindsAndApiVersions() {
        rejects("apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata: {name: old}\n");
        rejects("apiVersion: v1\nkind: Pod\nmetadata: {name: not-expected}\n");
    }

    @Test
    void checksCustomResourcesShallowly() {
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec:
                  selector: {matchLabels: {app: x}}
                  endpoints: [{port: management}]
                """;
        assertDoesNotThrow(() -> Manifests.validateAll(monitor));
        rejects(monitor.replace("endpoints: [{port: management}]", "endpoint: [{port: management}]"));
        rejects(monitor.replace("metadata: {name: m}", "metadata: {nam: m}"));
    }

    @Test
    void typedObjectsKeepTheirValues() {
        var sts =
                Manifests.validate(Manifests.parseYaml(STATEFULSET).getFirst()).as(V1StatefulSet.class);
        assertEquals(3, sts.getSpec().getReplicas());
        assertEquals(
                "20Gi",
                sts.getSpec()
                        .getVolumeClaimTemplates()
                        .getFirst()
                        .getSpec()
                        .getResources()
                        .getRequests()
                        .get("storage")
                        .toSuffixedString());
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new IllegalArgumentException("expected exactly one '" + target + "' in the manifest");
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}
