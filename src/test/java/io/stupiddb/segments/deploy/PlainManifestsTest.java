package io.stupiddb.segments.deploy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.stupiddb.segments.deploy.Manifests.KubeObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.stupiddb.segments.deploy.StoreInvariants.appContainer;
import static io.stupiddb.segments.deploy.StoreInvariants.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubernetes/: valid Kubernetes objects, kustomize-ready, and the store's invariants. */
class PlainManifestsTest {

    static List<Path> resourceFiles() {
        return PlainManifests.resourceFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resourceFiles")
    void everyFileHoldsValidKubernetesObjects(Path file) {
        List<KubeObject> objects = Manifests.validateAll(PlainManifests.read(file));
        assertFalse(objects.isEmpty(), () -> file + " holds at least one object");
        for (KubeObject object : objects) {
            assertNull(
                    ((Map<?, ?>) object.raw().get("metadata")).get("namespace"),
                    () -> object.kind() + " " + object.name() + " must not pin a namespace");
        }
    }

    @Test
    void kustomizationListsEveryResourceFile() {
        Map<String, Object> kustomization = Manifests.parseYaml(
                        PlainManifests.read(PlainManifests.DIR.resolve(PlainManifests.KUSTOMIZATION)))
                .getFirst();
        assertEquals("kustomize.config.k8s.io/v1beta1", kustomization.get("apiVersion"));
        assertEquals("Kustomization", kustomization.get("kind"));
        assertFalse(kustomization.containsKey("namespace"), "namespace-agnostic");
        Set<String> listed = ((List<?>) kustomization.get("resources"))
                .stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
        Set<String> files = resourceFiles().stream()
                .map(f -> f.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, listed);
    }

    @Test
    void keepsTheStoreInvariants() {
        List<KubeObject> objects = PlainManifests.objects();
        StoreInvariants.assertStoreDeployment(objects, i -> "segment-store-" + i + ".segment-store-headless");
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        assertEquals("segment-store", sts.getMetadata().getName());
        assertEquals(3, sts.getSpec().getReplicas());
        assertEquals(
                1,
                single(objects, V1PodDisruptionBudget.class)
                        .getSpec()
                        .getMaxUnavailable()
                        .getIntValue());
        var apiKey = appContainer(sts).getEnv().stream()
                .filter(v -> v.getName().equals("SEGMENTS_API_KEY"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "segment-store-api-key", apiKey.getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void configMapCoversEverySpecKey() {
        String file = PlainManifests.read(PlainManifests.DIR.resolve("configmap.yaml"));
        Map<String, String> data =
                single(PlainManifests.objects(), V1ConfigMap.class).getData();
        for (String key : ConfigurationKeys.KEYS) {
            String env = ConfigurationKeys.envName(key);
            switch (key) {
                case "segments.api-key" -> assertFalse(data.containsKey(env), "the api key comes from a Secret");
                case "segments.node-id" -> {
                    assertFalse(data.containsKey(env), "the node id comes from the hostname ordinal");
                    assertTrue(file.contains(env), "configmap.yaml explains why " + env + " is not set");
                }
                case "segments.max-total-size",
                        "segments.archive-after",
                        "segments.archive-dir",
                        "segments.archive.s3.bucket",
                        "segments.archive.s3.endpoint" -> {
                    assertFalse(data.containsKey(env), key + " has no default: set only on purpose");
                    assertTrue(
                            file.contains("# " + env + ":"), "configmap.yaml shows " + env + " as a commented example");
                }
                default -> assertTrue(data.containsKey(env), () -> "configmap.yaml sets " + env);
            }
        }
        assertEquals("/data/segments", data.get("SEGMENTS_DATA_DIR"));
    }

    @Test
    void networkPolicyOpensTheApiToClientsAndManagementToMonitoringOnly() {
        V1NetworkPolicy policy = single(PlainManifests.objects(), V1NetworkPolicy.class);
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        var rules = policy.getSpec().getIngress();
        assertEquals(2, rules.size());
        assertEquals(8080, rules.get(0).getPorts().getFirst().getPort().getIntValue());
        assertTrue(rules.get(0).getFrom() == null || rules.get(0).getFrom().isEmpty(), "clients and peers reach 8080");
        assertEquals(9000, rules.get(1).getPorts().getFirst().getPort().getIntValue());
        assertEquals(
                "monitoring",
                rules.get(1)
                        .getFrom()
                        .getFirst()
                        .getNamespaceSelector()
                        .getMatchLabels()
                        .get("kubernetes.io/metadata.name"));
    }
}
