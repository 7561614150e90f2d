package io.stupiddb.segments.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** values.yaml against SPEC §4, and the chart README against values.yaml. */
class ValuesFileTest {

    /**
     * §4 keys that are deliberately not in the chart's {@code segments:} block: the api key has
     * its own {@code apiKey} block (a Secret), the node id is the pod's ordinal, the peers are
     * computed from replicaCount.
     */
    static final Set<String> NOT_IN_SEGMENTS_VALUES =
            Set.of("segments.api-key", "segments.node-id", "segments.cluster.peers");

    /** Values that are free-form maps or lists: documented as a whole, not key by key. */
    private static final Set<String> FREE_FORM = Set.of(
            "resources",
            "podAnnotations",
            "podLabels",
            "nodeSelector",
            "affinity",
            "serviceMonitor.labels",
            "networkPolicy.monitoring",
            "networkPolicy.clients");

    /** {@code segments.max-segment-age} → {@code maxSegmentAge}: the key in the values' segments block. */
    static String valuesKey(String specKey) {
        String[] words = specKey.substring("segments.".length()).split("[-.]");
        var key = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            key.append(words[i].substring(0, 1).toUpperCase(Locale.ROOT)).append(words[i].substring(1));
        }
        return key.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> defaultValues() throws IOException {
        return Manifests.parseYaml(Files.readString(Chart.DIR.resolve("values.yaml")))
                .getFirst();
    }

    @Test
    @SuppressWarnings("unchecked")
    void segmentsBlockHasEverySpecKeyAndNothingElse() throws IOException {
        Map<String, Object> segments = (Map<String, Object>) defaultValues().get("segments");
        Set<String> expected = new TreeSet<>();
        ConfigurationKeys.KEYS.stream()
                .filter(k -> !NOT_IN_SEGMENTS_VALUES.contains(k))
                .map(ValuesFileTest::valuesKey)
                .forEach(expected::add);
        assertEquals(expected, new TreeSet<>(segments.keySet()));
        assertFalse(segments.containsKey("nodeId"), "node id comes from the pod ordinal");
        assertEquals("/data/segments", segments.get("dataDir"));
        segments.forEach((key, value) -> {
            if (!key.equals("dataDir")) {
                assertEquals("", value, () -> key + " defaults to empty so the application's default applies");
            }
        });
    }

    @Test
    void defaultValuesMatchTheBrief() throws IOException {
        Map<String, Object> values = defaultValues();
        assertEquals(3, values.get("replicaCount"));
        assertEquals(
                Map.of("repository", "stupiddb/segment-store", "tag", "", "pullPolicy", "IfNotPresent"),
                values.get("image"));
        assertEquals("20Gi", ((Map<?, ?>) values.get("persistence")).get("size"));
        assertEquals(Boolean.FALSE, ((Map<?, ?>) values.get("serviceMonitor")).get("enabled"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) values.get("networkPolicy")).get("enabled"));
        assertEquals(60, values.get("terminationGracePeriodSeconds"));
    }

    @Test
    void readmeDocumentsEveryValue() throws IOException {
        String readme = Files.readString(Chart.DIR.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String path : leafPaths("", defaultValues())) {
            if (!readme.contains("`" + path + "`")) {
                missing.add(path);
            }
        }
        assertTrue(missing.isEmpty(), () -> "helm/segment-store/README.md does not document " + missing);
        for (String section : List.of("helm install", "helm upgrade", "patch pvc", "--cascade=orphan")) {
            assertTrue(readme.contains(section), () -> "README explains " + section);
        }
    }

    private static List<String> leafPaths(String prefix, Map<?, ?> map) {
        List<String> paths = new ArrayList<>();
        map.forEach((key, value) -> {
            String path = prefix + key;
            if (value instanceof Map<?, ?> child && !child.isEmpty() && !FREE_FORM.contains(path)) {
                paths.addAll(leafPaths(path + ".", child));
            } else {
                paths.add(path);
            }
        });
        return paths;
    }
}
