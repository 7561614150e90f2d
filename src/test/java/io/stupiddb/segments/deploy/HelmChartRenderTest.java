package io.stupiddb.segments.deploy;

import com.marcnuri.helm.DryRun;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.stupiddb.segments.deploy.Manifests.KubeObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.stupiddb.segments.deploy.Chart.FULLNAME;
import static io.stupiddb.segments.deploy.Chart.NAMESPACE;
import static io.stupiddb.segments.deploy.Chart.values;
import static io.stupiddb.segments.deploy.StoreInvariants.all;
import static io.stupiddb.segments.deploy.StoreInvariants.appContainer;
import static io.stupiddb.segments.deploy.StoreInvariants.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders the chart with its defaults and with non-default value sets, validates every
 * rendered object against the Kubernetes API types and checks the store's invariants.
 */
class HelmChartRenderTest {

    /** The value sets every invariant is checked for. */
    static Stream<Arguments> valueSets() {
        return Stream.of(
                Arguments.of("defaults", values()),
                Arguments.of("one replica", values("replicaCount", 1)),
                Arguments.of("five replicas", values("replicaCount", 5)),
                Arguments.of(
                        "serviceMonitor on",
                        values(
                                "serviceMonitor.enabled",
                                true,
                                "serviceMonitor.interval",
                                "15s",
                                "serviceMonitor.labels",
                                Map.of("release", "prometheus"))),
                Arguments.of("networkPolicy off", values("networkPolicy.enabled", false)),
                Arguments.of(
                        "networkPolicy with clients",
                        values(
                                "networkPolicy.clients",
                                List.of(Map.of(
                                        "podSelector", Map.of("matchLabels", Map.of("role", "segment-client")))))),
                Arguments.of(
                        "existing api key secret",
                        values("apiKey.existingSecret", "my-key", "apiKey.secretKey", "token")),
                Arguments.of(
                        "storage class and size",
                        values(
                                "persistence.storageClass",
                                "fast-ssd",
                                "persistence.size",
                                "50Gi",
                                "persistence.persistentVolumeClaimRetentionPolicy.whenScaled",
                                "Delete")),
                Arguments.of(
                        "segments overrides",
                        values(
                                "segments.retention",
                                "7d",
                                "segments.compressionLevel",
                                9,
                                "segments.fsync",
                                "interval",
                                "segments.fsyncInterval",
                                "500ms")),
                Arguments.of("every segments key", everySegmentsKey()),
                Arguments.of(
                        "scheduling and extras",
                        values(
                                "nodeSelector",
                                Map.of("disk", "ssd"),
                                "tolerations",
                                List.of(Map.of("key", "storage", "operator", "Exists", "effect", "NoSchedule")),
                                "affinity",
                                Map.of(
                                        "nodeAffinity",
                                        Map.of(
                                                "requiredDuringSchedulingIgnoredDuringExecution",
                                                Map.of(
                                                        "nodeSelectorTerms",
                                                        List.of(Map.of(
                                                                "matchExpressions",
                                                                List.of(Map.of(
                                                                        "key",
                                                                        "disk",
                                                                        "operator",
                                                                        "In",
                                                                        "values",
                                                                        List.of("ssd")))))))),
                                "extraEnv",
                                List.of(Map.of("name", "JAVA_OPTS_APPEND", "value", "-Xmx1g")),
                                "extraVolumes",
                                List.of(Map.of(
                                        "name", "archive", "persistentVolumeClaim", Map.of("claimName", "archive"))),
                                "extraVolumeMounts",
                                List.of(Map.of("name", "archive", "mountPath", "/archive")),
                                "segments.archiveDir",
                                "/archive",
                                "segments.archiveAfter",
                                "7d",
                                "imagePullSecrets",
                                List.of(Map.of("name", "registry")),
                                "priorityClassName",
                                "storage",
                                "podDisruptionBudget.enabled",
                                false)));
    }

    /** Every segments.* values key set to a valid, non-default value. */
    static Map<String, Object> everySegmentsKey() {
        return values(
                "segments.dataDir", "/data/store",
                "segments.maxSegmentAge", "2h",
                "segments.maxSegmentSize", "200M",
                "segments.retention", "90d",
                "segments.maxTotalSize", "15G",
                "segments.archiveAfter", "7d",
                "segments.archiveDir", "/data/archive",
                "segments.compression", "none",
                "segments.compressionLevel", 5,
                "segments.archiveCompressionLevel", 22,
                "segments.fsync", "never",
                "segments.fsyncInterval", "2s",
                "segments.maxDocumentSize", "2M",
                "segments.maxRequestSize", "32M",
                "segments.timestampField", "ts",
                "segments.maxClockSkew", "30m",
                "segments.minFreeDisk", "1G",
                "segments.rotationCheckInterval", "5s",
                "segments.retentionCheckInterval", "2m",
                "segments.archiveTarget", "s3",
                "segments.archiveCacheSize", "2G",
                "segments.archiveS3Bucket", "segment-archive",
                "segments.archiveS3Prefix", "prod/",
                "segments.archiveS3Endpoint", "http://minio.minio:9000",
                "segments.archiveS3Region", "eu-west-1",
                "segments.archiveS3PathStyle", "true",
                "segments.scrubInterval", "6h",
                "segments.scrubRate", "2M",
                "segments.indexedFields", "trace_id,http.status",
                "segments.unindexedFields", "stack",
                "segments.retentionClasses", "debug=1d:10G,audit=400d",
                "segments.retentionClassField", "keep");
    }

    static List<KubeObject> render(Map<String, Object> values) {
        return Manifests.validateAll(Chart.render(values));
    }

    static String fqdnPeerHost(int i) {
        return FULLNAME + "-" + i + "." + FULLNAME + "-headless." + NAMESPACE + ".svc.cluster.local";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void rendersValidObjectsThatKeepTheInvariants(String name, Map<String, Object> values) {
        List<KubeObject> objects = render(values);
        StoreInvariants.assertStoreDeployment(objects, HelmChartRenderTest::fqdnPeerHost);
        for (KubeObject object : objects) {
            assertEquals(
                    NAMESPACE,
                    ((Map<?, ?>) object.raw().get("metadata")).get("namespace"),
                    () -> object.kind() + " " + object.name() + " is in the release namespace");
        }
    }

    @Test
    void defaultsRenderTheExpectedObjects() {
        List<KubeObject> objects = render(values());
        Set<String> kinds = objects.stream().map(o -> o.kind() + "/" + o.name()).collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "StatefulSet/" + FULLNAME,
                        "Service/" + FULLNAME,
                        "Service/" + FULLNAME + "-headless",
                        "ConfigMap/" + FULLNAME + "-config",
                        "PodDisruptionBudget/" + FULLNAME,
                        "NetworkPolicy/" + FULLNAME),
                kinds);
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        assertEquals(3, sts.getSpec().getReplicas());
        assertEquals("stupiddb/segment-store:0.1.0", appContainer(sts).getImage(), "tag defaults to appVersion");
        assertTrue(
                appContainer(sts).getEnv() == null || appContainer(sts).getEnv().isEmpty(),
                "no api key configured: no SEGMENTS_API_KEY");
        var claim = sts.getSpec().getVolumeClaimTemplates().getFirst();
        assertEquals(
                "20Gi",
                claim.getSpec().getResources().getRequests().get("storage").toSuffixedString());
        assertNull(claim.getSpec().getStorageClassName(), "default StorageClass");
        assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
        assertEquals(
                "Retain",
                sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertEquals(
                "Retain",
                sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
        assertEquals(60L, sts.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        var startup = appContainer(sts).getStartupProbe();
        assertEquals(600, startup.getPeriodSeconds() * startup.getFailureThreshold(), "10 minutes for recovery");
        assertEquals(
                Map.of("SEGMENTS_DATA_DIR", "/data/segments"),
                segmentsSettings(single(objects, V1ConfigMap.class).getData()),
                "empty segments.* values are left out so the app defaults apply");
        assertEquals(
                1,
                single(objects, V1PodDisruptionBudget.class)
                        .getSpec()
                        .getMaxUnavailable()
                        .getIntValue());
    }

    @ParameterizedTest(name = "replicaCount={0}")
    @ValueSource(ints = {1, 2, 3, 5, 12})
    void peersListOneEntryPerReplica(int replicas) {
        List<KubeObject> objects = render(values("replicaCount", replicas));
        String peers = single(objects, V1ConfigMap.class).getData().get("SEGMENTS_CLUSTER_PEERS");
        Map<Integer, java.net.URI> parsed = StoreInvariants.peers(peers);
        assertEquals(replicas, parsed.size());
        for (int i = 0; i < replicas; i++) {
            assertEquals("http://" + fqdnPeerHost(i) + ":8080", parsed.get(i).toString());
        }
        assertEquals(replicas, single(objects, V1StatefulSet.class).getSpec().getReplicas());
        // The application reads the rendered value as it is (same parser as at start-up).
        var appView = io.stupiddb.segments.service.cluster.Peers.parse(0, peers);
        assertEquals(parsed.keySet(), appView.all());
        assertEquals(replicas > 1, appView.clustered());
    }

    @Test
    void releaseNamedLikeTheChartGetsThePlainManifestNames() {
        List<KubeObject> objects = Manifests.validateAll(Chart.render("segment-store", values()));
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        assertEquals("segment-store", sts.getMetadata().getName());
        assertEquals("segment-store-headless", sts.getSpec().getServiceName());
        assertTrue(single(objects, V1ConfigMap.class)
                .getData()
                .get("SEGMENTS_CLUSTER_PEERS")
                .startsWith(
                        "0=http://segment-store-0.segment-store-headless." + NAMESPACE + ".svc.cluster.local:8080,"));
    }

    @Test
    void longReleaseNamesStayWithinKubernetesNameLimits() {
        String release = "a-very-long-release-name-for-the-analytics-team-store"; // 53: Helm's maximum
        assertEquals(53, release.length());
        List<KubeObject> objects = Manifests.validateAll(Chart.render(release, values()));
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        assertTrue(
                sts.getMetadata().getName().length() <= 52,
                "StatefulSet name leaves room for ordinal and revision hash");
        for (V1Service service : all(objects, V1Service.class)) {
            assertTrue(service.getMetadata().getName().length() <= 63, "Service names are DNS labels");
        }
        StoreInvariants.assertStoreDeployment(
                objects,
                i -> sts.getMetadata().getName() + "-" + i + "." + sts.getSpec().getServiceName() + "." + NAMESPACE
                        + ".svc.cluster.local");
    }

    @Test
    void imageTagAndPullPolicyOverride() {
        V1StatefulSet sts =
                single(render(values("image.tag", "0.2.0-rc1", "image.pullPolicy", "Always")), V1StatefulSet.class);
        assertEquals("stupiddb/segment-store:0.2.0-rc1", appContainer(sts).getImage());
        assertEquals("Always", appContainer(sts).getImagePullPolicy());
    }

    @Test
    void segmentsOverridesBecomeEnvironmentVariables() {
        List<KubeObject> objects = render(values(
                "segments.retention",
                "7d",
                "segments.compressionLevel",
                9,
                "segments.fsync",
                "interval",
                "segments.fsyncInterval",
                "500ms"));
        assertEquals(
                Map.of(
                        "SEGMENTS_DATA_DIR", "/data/segments",
                        "SEGMENTS_RETENTION", "7d",
                        "SEGMENTS_COMPRESSION_LEVEL", "9",
                        "SEGMENTS_FSYNC", "interval",
                        "SEGMENTS_FSYNC_INTERVAL", "500ms"),
                segmentsSettings(single(objects, V1ConfigMap.class).getData()));
        String defaultChecksum = checksum(render(values()));
        assertNotEquals(defaultChecksum, checksum(objects), "a configuration change rolls the pods");
        assertEquals(defaultChecksum, checksum(render(values())), "the checksum is stable");
    }

    @Test
    void everySegmentsValueMapsToTheEnvNameOfItsSpecKey() {
        Map<String, String> data = segmentsSettings(
                single(render(everySegmentsKey()), V1ConfigMap.class).getData());
        Map<String, String> expected = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> segments = (Map<String, Object>) everySegmentsKey().get("segments");
        for (String key : ConfigurationKeys.KEYS) {
            if (ValuesFileTest.NOT_IN_SEGMENTS_VALUES.contains(key)) {
                continue;
            }
            Object value = segments.get(ValuesFileTest.valuesKey(key));
            assertNotNull(value, () -> "the test sets every segments value; missing " + key);
            expected.put(ConfigurationKeys.envName(key), String.valueOf(value));
        }
        assertEquals(expected, data);
    }

    @Test
    void existingSecretProvidesTheApiKey() {
        List<KubeObject> objects = render(values("apiKey.existingSecret", "my-key", "apiKey.secretKey", "token"));
        assertTrue(all(objects, V1Secret.class).isEmpty(), "the chart does not create a Secret it was given");
        V1EnvVar apiKey = apiKeyVariable(single(objects, V1StatefulSet.class));
        assertEquals("my-key", apiKey.getValueFrom().getSecretKeyRef().getName());
        assertEquals("token", apiKey.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void generatedApiKeyOnInstall(@TempDir Path tmp) throws IOException {
        Path chart = Chart.copyWithStubbedLookup(tmp.resolve("segment-store"), "(dict)");
        List<KubeObject> objects =
                Manifests.validateAll(Chart.render(chart, Chart.RELEASE, values("apiKey.create", true)));
        StoreInvariants.assertStoreDeployment(objects, HelmChartRenderTest::fqdnPeerHost);
        V1Secret secret = single(objects, V1Secret.class);
        assertEquals(FULLNAME + "-api-key", secret.getMetadata().getName());
        assertEquals("keep", secret.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        byte[] key = secret.getData().get("api-key");
        assertNotNull(key, "the Secret holds the key under apiKey.secretKey");
        assertTrue(new String(key, StandardCharsets.UTF_8).matches("[A-Za-z0-9]{40}"), "40 random characters");
        V1EnvVar apiKey = apiKeyVariable(single(objects, V1StatefulSet.class));
        assertEquals(
                secret.getMetadata().getName(),
                apiKey.getValueFrom().getSecretKeyRef().getName());
        assertEquals("api-key", apiKey.getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void generatedApiKeyIsKeptOnUpgrade(@TempDir Path tmp) throws IOException {
        String existing =
                Base64.getEncoder().encodeToString("the-key-from-the-first-install".getBytes(StandardCharsets.UTF_8));
        Path chart = Chart.copyWithStubbedLookup(
                tmp.resolve("segment-store"), "(dict \"data\" (dict \"api-key\" \"" + existing + "\"))");
        V1Secret secret = single(
                Manifests.validateAll(Chart.render(chart, Chart.RELEASE, values("apiKey.create", true))),
                V1Secret.class);
        assertEquals(
                "the-key-from-the-first-install", new String(secret.getData().get("api-key"), StandardCharsets.UTF_8));
    }

    @Test
    void theSecretTemplateReallyUsesLookup() throws IOException {
        String template = Files.readString(Chart.DIR.resolve("templates/secret.yaml"));
        assertEquals(
                1, Chart.LOOKUP.matcher(template).results().count(), "the stub in the tests above replaces this call");
    }

    @Test
    void apiKeyCannotBeBothExistingAndCreated() {
        var failure = assertThrows(
                IllegalStateException.class,
                () -> Chart.render(values("apiKey.create", true, "apiKey.existingSecret", "my-key")));
        assertTrue(failure.getMessage().contains("either existingSecret or create"), failure::getMessage);
    }

    @Test
    void storageClassSizeAndRetentionPolicy() {
        V1StatefulSet sts = single(
                render(values(
                        "persistence.storageClass",
                        "fast-ssd",
                        "persistence.size",
                        "50Gi",
                        "persistence.accessMode",
                        "ReadWriteOncePod",
                        "persistence.persistentVolumeClaimRetentionPolicy.whenScaled",
                        "Delete")),
                V1StatefulSet.class);
        var claim = sts.getSpec().getVolumeClaimTemplates().getFirst();
        assertEquals("fast-ssd", claim.getSpec().getStorageClassName());
        assertEquals(
                "50Gi",
                claim.getSpec().getResources().getRequests().get("storage").toSuffixedString());
        assertEquals(List.of("ReadWriteOncePod"), claim.getSpec().getAccessModes());
        assertEquals(
                "Delete",
                sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
        assertEquals(
                "Retain",
                sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
    }

    @Test
    void serviceMonitorScrapesTheManagementPortOfTheHeadlessService() {
        List<KubeObject> objects = render(values(
                "serviceMonitor.enabled",
                true,
                "serviceMonitor.interval",
                "15s",
                "serviceMonitor.labels",
                Map.of("release", "prometheus")));
        KubeObject monitor = objects.stream()
                .filter(o -> o.kind().equals("ServiceMonitor"))
                .findFirst()
                .orElseThrow();
        assertEquals("monitoring.coreos.com/v1", monitor.apiVersion());
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) monitor.raw().get("metadata");
        assertEquals(
                "prometheus",
                ((Map<?, ?>) metadata.get("labels")).get("release"),
                "extra labels for the Prometheus selector");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.raw().get("spec");
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) spec.get("endpoints")).getFirst();
        assertEquals("management", endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("15s", endpoint.get("interval"));
        Map<?, ?> matchLabels = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
        List<V1Service> selected = all(objects, V1Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()))
                .toList();
        assertEquals(1, selected.size(), "the ServiceMonitor selects exactly one Service");
        V1Service headless = selected.getFirst();
        assertEquals(FULLNAME + "-headless", headless.getMetadata().getName(), "every pod, ready or not, is scraped");
        assertTrue(headless.getSpec().getPorts().stream()
                .anyMatch(p -> p.getName().equals("management") && p.getPort() == 9000));
    }

    @Test
    void networkPolicyLetsClientsReachTheApiAndMonitoringReachManagementOnly() {
        V1NetworkPolicy policy = single(render(values()), V1NetworkPolicy.class);
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        List<V1NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertEquals(2, rules.size());
        assertEquals(List.of(8080), ports(rules.get(0)));
        assertTrue(
                rules.get(0).getFrom() == null || rules.get(0).getFrom().isEmpty(),
                "the API is open to all clients by default");
        assertEquals(List.of(9000), ports(rules.get(1)));
        assertEquals(
                "monitoring",
                rules.get(1)
                        .getFrom()
                        .getFirst()
                        .getNamespaceSelector()
                        .getMatchLabels()
                        .get("kubernetes.io/metadata.name"));
    }

    @Test
    void networkPolicyWithClientsStillLetsPeersIn() {
        List<KubeObject> objects = render(values(
                "networkPolicy.clients",
                List.of(Map.of("podSelector", Map.of("matchLabels", Map.of("role", "segment-client"))))));
        V1NetworkPolicy policy = single(objects, V1NetworkPolicy.class);
        var from = policy.getSpec().getIngress().getFirst().getFrom();
        assertEquals(2, from.size());
        Map<String, String> podLabels = single(objects, V1StatefulSet.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        assertTrue(
                podLabels
                        .entrySet()
                        .containsAll(
                                from.get(0).getPodSelector().getMatchLabels().entrySet()),
                "the store's own pods (cluster forwarding)");
        assertEquals(
                Map.of("role", "segment-client"), from.get(1).getPodSelector().getMatchLabels());
    }

    @Test
    void networkPolicyCanBeTurnedOff() {
        assertTrue(all(render(values("networkPolicy.enabled", false)), V1NetworkPolicy.class)
                .isEmpty());
    }

    @Test
    void probeTunablesAndGracePeriodAreApplied() {
        V1StatefulSet sts = single(
                render(values(
                        "probes.startup.failureThreshold",
                        120,
                        "probes.startup.periodSeconds",
                        15,
                        "terminationGracePeriodSeconds",
                        120)),
                V1StatefulSet.class);
        assertEquals(120, appContainer(sts).getStartupProbe().getFailureThreshold());
        assertEquals(15, appContainer(sts).getStartupProbe().getPeriodSeconds());
        assertEquals(120L, sts.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
    }

    @Test
    void theGracefulStopIsConfiguredAndRollsThePods() {
        Map<String, String> defaults =
                single(render(values()), V1ConfigMap.class).getData();
        assertEquals("5s", defaults.get("QUARKUS_SHUTDOWN_DELAY"), "Kubernetes has 5 s to stop routing to the pod");
        assertEquals("30s", defaults.get("QUARKUS_SHUTDOWN_TIMEOUT"));
        List<KubeObject> objects = render(values("shutdown.delay", "10s", "shutdown.timeout", "2m"));
        Map<String, String> data = single(objects, V1ConfigMap.class).getData();
        assertEquals("10s", data.get("QUARKUS_SHUTDOWN_DELAY"));
        assertEquals("2m", data.get("QUARKUS_SHUTDOWN_TIMEOUT"));
        assertNotEquals(checksum(render(values())), checksum(objects), "a change rolls the pods");
    }

    @Test
    void notesTellHowToReachTheStore() {
        // helm install --dry-run=client: renders NOTES.txt without a cluster (client-only, no lookups).
        String notes = Chart.helm()
                .install()
                .withName(Chart.RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(Chart.KUBE_VERSION)
                .dryRun()
                .withDryRunOption(DryRun.CLIENT)
                .clientOnly()
                .set("apiKey.create", true)
                .call()
                .getOutput();
        assertTrue(notes.contains("http://" + FULLNAME + "." + NAMESPACE + ".svc.cluster.local:8080/api/v1"), notes);
        assertTrue(notes.contains("secret " + FULLNAME + "-api-key"), notes);
        assertTrue(notes.contains("600 s"), notes);
    }

    private static V1EnvVar apiKeyVariable(V1StatefulSet sts) {
        return Objects.requireNonNull(appContainer(sts).getEnv()).stream()
                .filter(v -> v.getName().equals("SEGMENTS_API_KEY"))
                .findFirst()
                .orElseThrow();
    }

    private static List<Integer> ports(V1NetworkPolicyIngressRule rule) {
        return rule.getPorts().stream().map(p -> p.getPort().getIntValue()).toList();
    }

    /** The ConfigMap's segments.* settings: without the peers list and the graceful stop's two Quarkus settings. */
    private static Map<String, String> segmentsSettings(Map<String, String> data) {
        var copy = new LinkedHashMap<>(data);
        copy.remove("SEGMENTS_CLUSTER_PEERS");
        copy.remove("QUARKUS_SHUTDOWN_DELAY");
        copy.remove("QUARKUS_SHUTDOWN_TIMEOUT");
        return copy;
    }

    private static String checksum(List<KubeObject> objects) {
        return single(objects, V1StatefulSet.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("checksum/config");
    }
}
