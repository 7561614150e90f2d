package io.stupiddb.segments.deploy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.stupiddb.segments.deploy.Manifests.KubeObject;
import io.stupiddb.segments.service.config.DurationParser;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every deployment of the store must satisfy, whether it comes from the Helm chart or
 * from kubernetes/: SPEC §6 (probes on management port 9000), §8 (volume, security, grace
 * period) and §9 (peers). Both the chart tests and the plain manifest tests call
 * {@link #assertStoreDeployment}.
 */
final class StoreInvariants {

    static final String APP_CONTAINER = "segment-store";
    static final String IMAGE_REPOSITORY = "stupiddb/segment-store";
    static final Map<String, Integer> CONTAINER_PORTS = Map.of("http", 8080, "management", 9000);
    static final Map<String, String> PROBE_PATHS = Map.of(
            "startup", "/q/health/started",
            "readiness", "/q/health/ready",
            "liveness", "/q/health/live");
    static final int QUARKUS_IMAGE_USER = 185;
    /** The startup probe must allow this long for recovering a full volume. */
    static final int MIN_STARTUP_SECONDS = 600;

    static final int MIN_GRACE_SECONDS = 30;

    /** What the grace period must leave for sealing the active segment after the shutdown delay and timeout. */
    static final int SEAL_SECONDS = 10;

    private StoreInvariants() {}

    static <T> List<T> all(List<KubeObject> objects, Class<T> type) {
        return objects.stream()
                .filter(o -> type.isInstance(o.typed()))
                .map(o -> type.cast(o.typed()))
                .toList();
    }

    static <T> T single(List<KubeObject> objects, Class<T> type) {
        List<T> found = all(objects, type);
        assertEquals(1, found.size(), () -> "expected exactly one " + type.getSimpleName() + ", found " + found.size());
        return found.getFirst();
    }

    static V1Container appContainer(V1StatefulSet sts) {
        return podSpec(sts).getContainers().stream()
                .filter(c -> APP_CONTAINER.equals(c.getName()))
                .findFirst()
                .orElseGet(() -> fail("no container named " + APP_CONTAINER));
    }

    static V1PodSpec podSpec(V1StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec();
    }

    static V1ConfigMap configMap(List<KubeObject> objects, V1StatefulSet sts) {
        var refs = appContainer(sts).getEnvFrom();
        assertNotNull(refs, "the app container loads its settings with envFrom");
        assertTrue(
                refs.stream().skip(1).allMatch(r -> r.getSecretRef() != null),
                "envFrom: the ConfigMap, then at most Secrets (the cold tier's credentials)");
        String name = refs.getFirst().getConfigMapRef().getName();
        return all(objects, V1ConfigMap.class).stream()
                .filter(cm -> cm.getMetadata().getName().equals(name))
                .findFirst()
                .orElseGet(() -> fail("envFrom names ConfigMap " + name + ", which is not among the objects"));
    }

    /** Every SEGMENTS_* variable the app container gets: from the ConfigMap and from env. */
    static Map<String, String> segmentsEnvironment(List<KubeObject> objects, V1StatefulSet sts) {
        var env = new TreeMap<String, String>(
                Objects.requireNonNullElse(configMap(objects, sts).getData(), Map.of()));
        List<V1EnvVar> vars = Objects.requireNonNullElse(appContainer(sts).getEnv(), List.of());
        vars.forEach(
                v -> env.put(v.getName(), v.getValue() != null ? v.getValue() : "<from " + v.getValueFrom() + ">"));
        env.keySet().removeIf(name -> !name.startsWith("SEGMENTS_"));
        return env;
    }

    /** Parses segments.cluster.peers ("0=http://host:8080,1=...") in order. */
    static Map<Integer, URI> peers(String value) {
        var peers = new LinkedHashMap<Integer, URI>();
        for (String entry : value.split(",")) {
            String[] parts = entry.split("=", 2);
            assertEquals(2, parts.length, () -> "peer entry is not node-id=base-url: " + entry);
            int id = Integer.parseInt(parts[0].trim());
            assertNull(peers.put(id, URI.create(parts[1].trim())), () -> "node id " + id + " listed twice");
        }
        return peers;
    }

    /**
     * Checks all invariants. {@code peerHost} gives the expected peer host name for an ordinal.
     */
    static void assertStoreDeployment(List<KubeObject> objects, Function<Integer, String> peerHost) {
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        V1Container app = appContainer(sts);
        V1PodSpec pod = podSpec(sts);
        int replicas = sts.getSpec().getReplicas();
        assertAll(
                () -> assertVolume(sts, app, pod),
                () -> assertProbes(app),
                () -> assertSecurity(app, pod),
                () -> assertPortsAndImage(app),
                () -> assertLifecycle(sts, app, pod),
                () -> assertGracefulStop(objects, sts, pod),
                () -> assertConfiguration(objects, sts, app),
                () -> assertServices(objects, sts),
                () -> assertDisruptionBudget(objects, sts),
                () -> assertPeers(objects, sts, replicas, peerHost));
    }

    private static void assertVolume(V1StatefulSet sts, V1Container app, V1PodSpec pod) {
        List<V1PersistentVolumeClaim> templates = sts.getSpec().getVolumeClaimTemplates();
        assertNotNull(templates, "volumeClaimTemplates");
        assertEquals(1, templates.size(), "exactly one PVC template");
        V1PersistentVolumeClaim data = templates.getFirst();
        assertEquals("data", data.getMetadata().getName());
        assertNotNull(data.getSpec().getResources().getRequests().get("storage"), "PVC template requests storage");
        List<V1VolumeMount> mounts = app.getVolumeMounts().stream()
                .filter(m -> m.getName().equals("data"))
                .toList();
        assertEquals(1, mounts.size(), "the data volume is mounted once");
        assertEquals("/data", mounts.getFirst().getMountPath());
        assertFalse(Boolean.TRUE.equals(mounts.getFirst().getReadOnly()), "the data volume is writable");
        List<V1Volume> volumes = Objects.requireNonNullElse(pod.getVolumes(), List.of());
        assertTrue(
                volumes.stream().noneMatch(v -> v.getName().equals("data")),
                "no pod volume shadows the PVC template named data");
    }

    private static void assertProbes(V1Container app) {
        Map<String, V1Probe> probes = Map.of(
                "startup", Objects.requireNonNull(app.getStartupProbe(), "startupProbe"),
                "readiness", Objects.requireNonNull(app.getReadinessProbe(), "readinessProbe"),
                "liveness", Objects.requireNonNull(app.getLivenessProbe(), "livenessProbe"));
        probes.forEach((kind, probe) -> {
            assertNotNull(probe.getHttpGet(), kind + " probe is an HTTP GET");
            assertEquals(PROBE_PATHS.get(kind), probe.getHttpGet().getPath(), kind + " probe path");
            var port = probe.getHttpGet().getPort();
            int number = port.isInteger() ? port.getIntValue() : containerPort(app, port.getStrValue());
            assertEquals(9000, number, kind + " probe port is the management port");
        });
        V1Probe startup = probes.get("startup");
        int period = Objects.requireNonNullElse(startup.getPeriodSeconds(), 10);
        int failures = Objects.requireNonNullElse(startup.getFailureThreshold(), 3);
        assertTrue(
                period * failures >= MIN_STARTUP_SECONDS,
                () -> "startup probe allows " + period * failures + " s; recovery of a full volume needs >= "
                        + MIN_STARTUP_SECONDS);
    }

    private static int containerPort(V1Container app, String name) {
        return app.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .map(V1ContainerPort::getContainerPort)
                .findFirst()
                .orElseGet(() -> fail("no container port named " + name));
    }

    private static void assertSecurity(V1Container app, V1PodSpec pod) {
        var podSecurity = pod.getSecurityContext();
        assertNotNull(podSecurity, "pod securityContext");
        assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), "pod runAsNonRoot");
        assertEquals(QUARKUS_IMAGE_USER, podSecurity.getRunAsUser().intValue(), "runAsUser");
        assertEquals(QUARKUS_IMAGE_USER, podSecurity.getRunAsGroup().intValue(), "runAsGroup");
        assertEquals(QUARKUS_IMAGE_USER, podSecurity.getFsGroup().intValue(), "fsGroup");
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType(), "seccomp profile");
        var container = app.getSecurityContext();
        assertNotNull(container, "container securityContext");
        assertEquals(Boolean.TRUE, container.getRunAsNonRoot(), "container runAsNonRoot");
        assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation");
        assertEquals(List.of("ALL"), container.getCapabilities().getDrop(), "capabilities drop ALL");
        assertTrue(
                container.getCapabilities().getAdd() == null
                        || container.getCapabilities().getAdd().isEmpty(),
                "no capabilities added");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "no service account token");
        assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(), "no service-link env variables");
    }

    private static void assertPortsAndImage(V1Container app) {
        Map<String, Integer> ports = app.getPorts().stream()
                .collect(Collectors.toMap(V1ContainerPort::getName, V1ContainerPort::getContainerPort));
        assertEquals(CONTAINER_PORTS, ports, "container ports");
        String image = app.getImage();
        assertTrue(image.startsWith(IMAGE_REPOSITORY + ":"), () -> "image " + image + " is from " + IMAGE_REPOSITORY);
    }

    private static void assertLifecycle(V1StatefulSet sts, V1Container app, V1PodSpec pod) {
        assertTrue(
                pod.getTerminationGracePeriodSeconds() >= MIN_GRACE_SECONDS,
                "terminationGracePeriodSeconds leaves time to seal the active segment");
        var tmp = app.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseGet(() -> fail("/tmp is mounted (read-only root filesystem)"));
        var tmpVolume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.getName()))
                .findFirst()
                .orElseGet(() -> fail("volume " + tmp.getName() + " for /tmp"));
        assertNotNull(tmpVolume.getEmptyDir(), "/tmp is an emptyDir");
        var resources = app.getResources();
        assertNotNull(resources, "resources");
        assertNotNull(resources.getRequests(), "resource requests");
        assertNotNull(resources.getLimits(), "resource limits");
        assertTrue(resources.getLimits().containsKey("memory"), "memory limit");
        Map<String, String> annotations =
                sts.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("9000", annotations.get("prometheus.io/port"));
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
    }

    /**
     * The graceful stop (README "Stopping"): a delay for Kubernetes to stop routing, a timeout for
     * the requests in flight, and the grace period covering both plus the seal, so the kubelet's
     * SIGKILL does not cut the wait short.
     */
    private static void assertGracefulStop(List<KubeObject> objects, V1StatefulSet sts, V1PodSpec pod) {
        Map<String, String> data = configMap(objects, sts).getData();
        long delay = seconds(data.get("QUARKUS_SHUTDOWN_DELAY"), "QUARKUS_SHUTDOWN_DELAY");
        long timeout = seconds(data.get("QUARKUS_SHUTDOWN_TIMEOUT"), "QUARKUS_SHUTDOWN_TIMEOUT");
        assertTrue(delay >= 1, "a shutdown delay lets Kubernetes take the pod out of the Services first");
        assertTrue(
                pod.getTerminationGracePeriodSeconds() >= delay + timeout + SEAL_SECONDS,
                () -> "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " < delay " + delay
                        + " s + timeout " + timeout + " s + " + SEAL_SECONDS + " s to seal");
    }

    /** A duration of the manifests ({@code 500ms}, {@code 5s}, {@code 2m}, …) in whole seconds, rounded up. */
    private static long seconds(String value, String name) {
        assertNotNull(value, name + " is set");
        long millis = DurationParser.parse(value).toMillis();
        return (millis + 999) / 1000;
    }

    private static void assertConfiguration(List<KubeObject> objects, V1StatefulSet sts, V1Container app) {
        Map<String, String> env = segmentsEnvironment(objects, sts);
        Set<String> known = ConfigurationKeys.envNames();
        for (String name : env.keySet()) {
            assertTrue(known.contains(name), () -> name + " is not the env form of any SPEC §4 key " + known);
        }
        assertFalse(
                env.containsKey(ConfigurationKeys.envName("segments.node-id")),
                "node id comes from the pod's hostname ordinal, never from the environment");
        String dataDir = env.get(ConfigurationKeys.envName("segments.data-dir"));
        assertNotNull(dataDir, "SEGMENTS_DATA_DIR is set");
        assertTrue(dataDir.startsWith("/data/"), () -> "data dir " + dataDir + " is inside the volume at /data");
        List<V1EnvVar> vars = Objects.requireNonNullElse(app.getEnv(), List.of());
        vars.stream()
                .filter(v -> v.getName().equals(ConfigurationKeys.envName("segments.api-key")))
                .forEach(v -> {
                    assertNull(v.getValue(), "the api key never appears in plain text");
                    assertNotNull(v.getValueFrom().getSecretKeyRef(), "the api key comes from a Secret");
                    assertEquals(
                            Boolean.TRUE,
                            v.getValueFrom().getSecretKeyRef().getOptional(),
                            "the api key Secret is optional");
                });
    }

    private static void assertServices(List<KubeObject> objects, V1StatefulSet sts) {
        Map<String, String> podLabels =
                sts.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, V1Service> services = all(objects, V1Service.class).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        V1Service headless = services.get(sts.getSpec().getServiceName());
        assertNotNull(headless, "serviceName " + sts.getSpec().getServiceName() + " is one of the Services");
        assertEquals(
                sts.getMetadata().getName() + "-headless",
                headless.getMetadata().getName());
        assertEquals("None", headless.getSpec().getClusterIP(), "headless");
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses(), "peers resolve while recovering");
        V1Service client = services.get(sts.getMetadata().getName());
        assertNotNull(client, "client Service named like the StatefulSet");
        assertEquals(2, services.size(), "a headless and a client Service");
        for (V1Service service : services.values()) {
            assertTrue(
                    podLabels
                            .entrySet()
                            .containsAll(service.getSpec().getSelector().entrySet()),
                    () -> service.getMetadata().getName() + " selects the store's pods");
            V1ServicePort http = service.getSpec().getPorts().stream()
                    .filter(p -> "http".equals(p.getName()))
                    .findFirst()
                    .orElseGet(() -> fail(service.getMetadata().getName() + " has a port named http"));
            assertEquals("http", http.getTargetPort().getStrValue(), "targets the container's http port");
        }
        assertEquals(8080, client.getSpec().getPorts().getFirst().getPort().intValue(), "client Service port");
        assertEquals(1, client.getSpec().getPorts().size(), "the client Service exposes the API only");
        assertTrue(
                podLabels
                        .entrySet()
                        .containsAll(
                                sts.getSpec().getSelector().getMatchLabels().entrySet()),
                "the StatefulSet selector matches its pod template");
    }

    private static void assertDisruptionBudget(List<KubeObject> objects, V1StatefulSet sts) {
        List<V1PodDisruptionBudget> budgets = all(objects, V1PodDisruptionBudget.class);
        if (budgets.isEmpty()) {
            return; // the chart can turn it off; the tests that need one check it is there
        }
        V1PodDisruptionBudget pdb = budgets.getFirst();
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntValue().intValue(), "maxUnavailable 1");
        assertEquals(
                sts.getSpec().getSelector().getMatchLabels(),
                pdb.getSpec().getSelector().getMatchLabels());
    }

    private static void assertPeers(
            List<KubeObject> objects, V1StatefulSet sts, int replicas, Function<Integer, String> peerHost) {
        String value = segmentsEnvironment(objects, sts).get(ConfigurationKeys.envName("segments.cluster.peers"));
        assertNotNull(value, "SEGMENTS_CLUSTER_PEERS is set");
        Map<Integer, URI> peers = peers(value);
        assertEquals(replicas, peers.size(), "one peer per replica");
        for (int i = 0; i < replicas; i++) {
            URI uri = peers.get(i);
            assertNotNull(uri, "peer " + i + " (ids are the ordinals 0..replicas-1)");
            assertEquals("http", uri.getScheme());
            assertEquals(peerHost.apply(i), uri.getHost(), "peer " + i + " host");
            String expectedPrefix =
                    sts.getMetadata().getName() + "-" + i + "." + sts.getSpec().getServiceName();
            assertTrue(uri.getHost().startsWith(expectedPrefix), () -> uri + " goes through the headless Service");
            assertEquals(8080, uri.getPort(), "peers talk to the REST port");
        }
    }
}
