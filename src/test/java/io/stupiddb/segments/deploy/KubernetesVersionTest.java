package io.stupiddb.segments.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One minimum Kubernetes version for the chart and the plain manifests, stated where users look:
 * the chart's kubeVersion, the kustomization, the StatefulSet and both READMEs.
 */
class KubernetesVersionTest {

    static final String MINIMUM = "1.27";

    @Test
    void chartKubeVersionIsTheMinimum() throws IOException {
        Map<String, Object> chart = Manifests.parseYaml(Files.readString(Chart.DIR.resolve("Chart.yaml")))
                .getFirst();
        assertEquals(">=" + MINIMUM + ".0-0", chart.get("kubeVersion"));
        assertDoesNotThrow(
                () -> Manifests.validateAll(Chart.helm()
                        .template()
                        .withName("store")
                        .withKubeVersion("v" + MINIMUM + ".0")
                        .call()),
                "renders on the minimum version itself");
        assertTrue(Files.readString(Chart.DIR.resolve("README.md")).contains("Kubernetes " + MINIMUM + " or later"));
    }

    @Test
    void plainManifestsStateTheSameMinimum() throws IOException {
        String kustomization = Files.readString(PlainManifests.DIR.resolve(PlainManifests.KUSTOMIZATION));
        assertTrue(kustomization.contains("Needs Kubernetes " + MINIMUM + " or later"), kustomization);
        String statefulSet = Files.readString(PlainManifests.DIR.resolve("statefulset.yaml"));
        assertTrue(statefulSet.contains("Kubernetes " + MINIMUM + "+"), "the comment at the field that needs it");
        // The reason for the minimum: remove the field, then revisit the minimum.
        assertTrue(PlainManifests.objects().stream()
                .filter(o -> o.kind().equals("StatefulSet"))
                .allMatch(o -> ((Map<?, ?>) o.raw().get("spec")).containsKey("persistentVolumeClaimRetentionPolicy")));
        String readme = Files.readString(Path.of("README.md"));
        String kubernetesSection = readme.substring(readme.indexOf("## Deploy on Kubernetes"));
        assertTrue(
                kubernetesSection.contains("Kubernetes " + MINIMUM + " or later"), "README.md, Deploy on Kubernetes");
    }

    @Test
    void monitoringValuesRenderOnTheMinimumVersion() {
        String yaml = Chart.helm()
                .template()
                .withName("store")
                .withKubeVersion("v" + MINIMUM + ".0")
                .set("monitoring.prometheusRule.enabled", true)
                .set("monitoring.dashboard.enabled", true)
                .call();
        assertTrue(yaml.contains("kind: PrometheusRule"));
        assertTrue(yaml.contains("grafana_dashboard: \"1\""));
    }
}
