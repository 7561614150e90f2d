package io.stupiddb.segments.deploy;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses Kubernetes YAML (multi-document streams, as {@code helm template} prints them) and
 * validates each object against the Kubernetes API types of client-java: the typed
 * {@code fromJson} rejects unknown fields (at any depth), missing required fields and values
 * of the wrong type. On top of that it checks what Gson's lenient parsing lets through: the
 * string-valued maps (labels, annotations, ConfigMap data, env values) hold strings, not
 * numbers or booleans, which the API server would reject.
 */
final class Manifests {

    /** A validated object: its raw form (as parsed) and its typed form. */
    record KubeObject(String apiVersion, String kind, String name, Map<String, Object> raw, Object typed) {

        <T> T as(Class<T> type) {
            return type.cast(typed);
        }
    }

    /** Thrown for an object the Kubernetes API would not accept. */
    static final class InvalidManifestException extends RuntimeException {
        InvalidManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Parser {
        Object parse(String json) throws IOException;
    }

    private static final Gson GSON = new Gson();

    /** Built-in kinds, by "apiVersion/kind", with their typed parsers. */
    private static final Map<String, Parser> TYPED = Map.of(
            "v1/ConfigMap", V1ConfigMap::fromJson,
            "v1/Secret", V1Secret::fromJson,
            "v1/Service", V1Service::fromJson,
            "apps/v1/StatefulSet", V1StatefulSet::fromJson,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::fromJson,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy::fromJson,
            "v1/ServiceAccount", io.kubernetes.client.openapi.models.V1ServiceAccount::fromJson);

    /**
     * Custom resources client-java has no type for. A ServiceMonitor (Prometheus Operator CRD)
     * gets its apiVersion/kind and typed metadata checked plus the shape of its spec; its full
     * schema lives in the operator's CRD, which is not available offline here.
     */
    private static final Set<String> CUSTOM = Set.of("monitoring.coreos.com/v1/ServiceMonitor");

    /** Map-valued fields whose values the API requires to be strings. */
    private static final Set<String> STRING_MAPS =
            Set.of("labels", "annotations", "matchLabels", "nodeSelector", "data", "stringData");

    private Manifests() {}

    /** The non-empty documents of a YAML stream. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parseYaml(String yaml) {
        var documents = new ArrayList<Map<String, Object>>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map<?, ?> map)) {
                throw new InvalidManifestException("a YAML document is not an object: " + document, null);
            }
            documents.add((Map<String, Object>) map);
        }
        return documents;
    }

    /** Parses and validates every object of a YAML stream. */
    static List<KubeObject> validateAll(String yaml) {
        return parseYaml(yaml).stream().map(Manifests::validate).toList();
    }

    /** Validates one object; throws {@link InvalidManifestException} when the API would reject it. */
    static KubeObject validate(Map<String, Object> document) {
        String apiVersion = String.valueOf(document.get("apiVersion"));
        String kind = String.valueOf(document.get("kind"));
        String type = apiVersion + "/" + kind;
        String json = GSON.toJson(document);
        try {
            Object typed;
            if (TYPED.containsKey(type)) {
                typed = TYPED.get(type).parse(json);
            } else if (CUSTOM.contains(type)) {
                typed = validateCustomResource(document);
            } else {
                throw new IllegalArgumentException("unknown apiVersion/kind " + type
                        + ": add it to Manifests (typed) or to its CUSTOM list with a reason");
            }
            requireStringValues(document, kind);
            V1ObjectMeta metadata = V1ObjectMeta.fromJson(GSON.toJson(document.get("metadata")));
            if (metadata.getName() == null || metadata.getName().isBlank()) {
                throw new IllegalArgumentException("metadata.name is missing");
            }
            return new KubeObject(apiVersion, kind, metadata.getName(), document, typed);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidManifestException invalid) {
                throw invalid;
            }
            throw new InvalidManifestException(type + " " + nameOf(document) + " is invalid: " + e.getMessage(), e);
        }
    }

    private static Object validateCustomResource(Map<String, Object> document) throws IOException {
        if (!(document.get("metadata") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("metadata is missing");
        }
        if (!(document.get("spec") instanceof Map<?, ?> spec)) {
            throw new IllegalArgumentException("spec is missing");
        }
        if (!(spec.get("endpoints") instanceof List<?> endpoints) || endpoints.isEmpty()) {
            throw new IllegalArgumentException("spec.endpoints must be a non-empty list");
        }
        if (!(spec.get("selector") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("spec.selector is missing");
        }
        return document;
    }

    private static void requireStringValues(Object node, String path) {
        if (node instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String childPath = path + "." + key;
                if (STRING_MAPS.contains(key) && entry.getValue() instanceof Map<?, ?> values) {
                    values.forEach((k, v) -> {
                        if (!(v instanceof String)) {
                            throw new IllegalArgumentException(childPath + "." + k + " must be a string, is " + v);
                        }
                    });
                }
                if (key.equals("env") && entry.getValue() instanceof List<?> env) {
                    for (Object variable : env) {
                        if (variable instanceof Map<?, ?> var
                                && var.containsKey("value")
                                && !(var.get("value") instanceof String)) {
                            throw new IllegalArgumentException(
                                    childPath + " " + var.get("name") + " must have a string value");
                        }
                    }
                }
                requireStringValues(entry.getValue(), childPath);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                requireStringValues(list.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String nameOf(Map<String, Object> document) {
        return document.get("metadata") instanceof Map<?, ?> metadata
                ? String.valueOf(metadata.get("name"))
                : "(no name)";
    }
}
