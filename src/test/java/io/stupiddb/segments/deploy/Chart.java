package io.stupiddb.segments.deploy;

import com.marcnuri.helm.Helm;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Helm chart under test, rendered with the Helm library embedded by helm-java (no helm
 * binary needed). Values are passed as a values file written from a map, so their YAML types
 * (integer, string, list) are exactly what a user's values file would give.
 */
final class Chart {

    static final Path DIR = Path.of("helm", "segment-store");
    static final String RELEASE = "store";
    static final String NAMESPACE = "segments";
    /**
     * The Kubernetes version to render for. The embedded Helm defaults to v1.20.0, older than
     * the chart's kubeVersion constraint (1.27+, for persistentVolumeClaimRetentionPolicy).
     */
    static final String KUBE_VERSION = "v1.33.0";
    /** Fullname of release {@link #RELEASE}: "{release}-{chart}". */
    static final String FULLNAME = RELEASE + "-segment-store";

    private Chart() {}

    /**
     * A values map from dotted paths and values:
     * {@code values("replicaCount", 5, "persistence.storageClass", "fast")}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> values(Object... pathsAndValues) {
        var root = new LinkedHashMap<String, Object>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            String[] path = ((String) pathsAndValues[i]).split("\\.");
            Map<String, Object> node = root;
            for (int j = 0; j < path.length - 1; j++) {
                node = (Map<String, Object>) node.computeIfAbsent(path[j], k -> new LinkedHashMap<String, Object>());
            }
            node.put(path[path.length - 1], pathsAndValues[i + 1]);
        }
        return root;
    }

    /**
     * A copy of the chart in {@code target} whose {@code lookup} calls return
     * {@code replacement} (a template expression) instead of asking a cluster.
     *
     * <p>Why: helm-java's template runs Helm's install action with dry-run option "none", which
     * makes {@code lookup} query a live API server (the default kubeconfig, i.e.
     * localhost:8080) instead of returning an empty map as {@code helm template} does. Tests
     * must not depend on, or talk to, whatever listens there, so the templates that use
     * {@code lookup} are rendered from a copy with the call replaced: {@code (dict)} for a fresh
     * install, or a dict holding an existing object for an upgrade.
     */
    static Path copyWithStubbedLookup(Path target, String replacement) throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else if (source.toString().endsWith(".yaml")
                        && source.getParent().endsWith("templates")) {
                    Files.writeString(
                            copy,
                            LOOKUP.matcher(Files.readString(source)).replaceAll(Matcher.quoteReplacement(replacement)));
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        return target;
    }

    /** A {@code lookup "v1" "Kind" <namespace> <name>} call with its four arguments. */
    static final Pattern LOOKUP = Pattern.compile("lookup\\s+\"v1\"\\s+\"\\w+\"\\s+\\S+\\s+\\$\\w+");

    static Helm helm() {
        return new Helm(DIR);
    }

    /** {@code helm template store helm/segment-store -n segments -f <values>}. */
    static String render(Map<String, Object> values) {
        return render(RELEASE, values);
    }

    static String render(String release, Map<String, Object> values) {
        return render(DIR, release, values);
    }

    /** Renders the chart in {@code chartDir} (the real one, or a modified copy). */
    static String render(Path chartDir, String release, Map<String, Object> values) {
        Path file = null;
        try {
            file = Files.createTempFile("segment-store-values-", ".yaml");
            var options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            Files.writeString(file, new Yaml(options).dump(values));
            return new Helm(chartDir)
                    .template()
                    .withName(release)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION)
                    .withValuesFile(file)
                    .call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
