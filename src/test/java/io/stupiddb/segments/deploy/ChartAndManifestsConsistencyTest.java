package io.stupiddb.segments.deploy;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.stupiddb.segments.deploy.Manifests.KubeObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.stupiddb.segments.deploy.StoreInvariants.appContainer;
import static io.stupiddb.segments.deploy.StoreInvariants.configMap;
import static io.stupiddb.segments.deploy.StoreInvariants.podSpec;
import static io.stupiddb.segments.deploy.StoreInvariants.segmentsEnvironment;
import static io.stupiddb.segments.deploy.StoreInvariants.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart (rendered as release "segment-store", which gives the plain manifests' names) and
 * kubernetes/ describe the same deployment.
 */
class ChartAndManifestsConsistencyTest {

    private final List<KubeObject> chart = Manifests.validateAll(Chart.render("segment-store", Chart.values()));
    private final List<KubeObject> plain = PlainManifests.objects();
    private final V1StatefulSet chartSts = single(chart, V1StatefulSet.class);
    private final V1StatefulSet plainSts = single(plain, V1StatefulSet.class);

    @Test
    void sameObjects() {
        assertEquals(kindsAndNames(plain), kindsAndNames(chart));
    }

    @Test
    void sameImageAndTag() {
        assertEquals(appContainer(plainSts).getImage(), appContainer(chartSts).getImage());
        assertTrue(appContainer(plainSts).getImage().startsWith(StoreInvariants.IMAGE_REPOSITORY + ":"));
    }

    @Test
    void sameContainer() {
        V1Container a = appContainer(plainSts);
        V1Container b = appContainer(chartSts);
        assertEquals(a.getPorts(), b.getPorts(), "container ports");
        assertEquals(a.getStartupProbe(), b.getStartupProbe(), "startup probe");
        assertEquals(a.getReadinessProbe(), b.getReadinessProbe(), "readiness probe");
        assertEquals(a.getLivenessProbe(), b.getLivenessProbe(), "liveness probe");
        assertEquals(a.getSecurityContext(), b.getSecurityContext(), "container securityContext");
        assertEquals(a.getResources(), b.getResources(), "resources");
        assertEquals(a.getVolumeMounts(), b.getVolumeMounts(), "volume mounts");
    }

    @Test
    void samePod() {
        assertEquals(podSpec(plainSts).getSecurityContext(), podSpec(chartSts).getSecurityContext());
        assertEquals(
                podSpec(plainSts).getTerminationGracePeriodSeconds(),
                podSpec(chartSts).getTerminationGracePeriodSeconds());
        assertEquals(podSpec(plainSts).getVolumes(), podSpec(chartSts).getVolumes());
        assertEquals(podSpec(plainSts).getAffinity(), podSpec(chartSts).getAffinity());
        assertEquals(plainSts.getSpec().getReplicas(), chartSts.getSpec().getReplicas());
        assertEquals(plainSts.getSpec().getServiceName(), chartSts.getSpec().getServiceName());
        assertEquals(
                plainSts.getSpec().getPodManagementPolicy(), chartSts.getSpec().getPodManagementPolicy());
        assertEquals(
                plainSts.getSpec().getPersistentVolumeClaimRetentionPolicy(),
                chartSts.getSpec().getPersistentVolumeClaimRetentionPolicy());
        Map<String, String> plainAnnotations =
                plainSts.getSpec().getTemplate().getMetadata().getAnnotations();
        Map<String, String> chartAnnotations =
                chartSts.getSpec().getTemplate().getMetadata().getAnnotations();
        assertTrue(chartAnnotations.entrySet().containsAll(plainAnnotations.entrySet()), "prometheus annotations");
    }

    @Test
    void sameVolumeClaim() {
        var a = plainSts.getSpec().getVolumeClaimTemplates().getFirst().getSpec();
        var b = chartSts.getSpec().getVolumeClaimTemplates().getFirst().getSpec();
        assertEquals(a.getAccessModes(), b.getAccessModes());
        assertEquals(a.getResources(), b.getResources());
        assertEquals(a.getStorageClassName(), b.getStorageClassName());
    }

    @Test
    void sameEnvironmentNamesWithinTheSpecKeys() {
        Set<String> known = ConfigurationKeys.envNames();
        Map<String, String> plainEnv = segmentsEnvironment(plain, plainSts);
        Map<String, String> chartEnv = segmentsEnvironment(chart, chartSts);
        assertTrue(
                known.containsAll(plainEnv.keySet()), () -> "manifest env " + plainEnv.keySet() + " within " + known);
        assertTrue(known.containsAll(chartEnv.keySet()), () -> "chart env " + chartEnv.keySet() + " within " + known);
        assertEquals(plainEnv.get("SEGMENTS_DATA_DIR"), chartEnv.get("SEGMENTS_DATA_DIR"));
        assertTrue(
                plainEnv.keySet().containsAll(chartEnv.keySet()), "the chart sets nothing the manifests do not know");
    }

    @Test
    void sameGracefulStop() {
        for (String name : List.of("QUARKUS_SHUTDOWN_DELAY", "QUARKUS_SHUTDOWN_TIMEOUT")) {
            assertEquals(
                    configMap(plain, plainSts).getData().get(name),
                    configMap(chart, chartSts).getData().get(name),
                    name);
        }
    }

    private static Set<String> kindsAndNames(List<KubeObject> objects) {
        return objects.stream().map(o -> o.kind() + "/" + o.name()).collect(Collectors.toSet());
    }
}
