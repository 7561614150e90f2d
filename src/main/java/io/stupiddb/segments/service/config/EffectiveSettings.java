package io.stupiddb.segments.service.config;

import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The start-up line that tells an operator which settings are in effect: every key of
 * {@link SegmentsConfig#KEYS}, in the spec's order, with its value as written (in
 * {@code application.properties}, the environment or the default: {@code 1h}, {@code 100M}, never
 * {@code PT1H} or {@code 104857600}). Unset optional keys read {@code none}; {@code segments.api-key}
 * reads {@code set} or {@code unset}, never its value; an unset {@code segments.node-id} shows the
 * node id taken from the hostname. Thread-safe (stateless).
 */
public final class EffectiveSettings {
    static final String API_KEY = "segments.api-key";
    static final String NODE_ID = "segments.node-id";

    private EffectiveSettings() {}

    /**
     * @param rawValue the value of a key as written (after defaults, before conversion), empty when unset
     * @param nodeId   the node id in effect (configured or from the hostname)
     * @return {@code settings in effect: segments.data-dir=./data, segments.max-segment-age=1h, …}
     */
    public static String line(Function<String, Optional<String>> rawValue, int nodeId) {
        StringJoiner line = new StringJoiner(", ", "settings in effect: ", "");
        for (String key : SegmentsConfig.KEYS) {
            Optional<String> raw = rawValue.apply(key).filter(v -> !v.isEmpty());
            String shown;
            if (key.equals(API_KEY)) {
                shown = raw.isPresent() ? "set" : "unset";
            } else if (key.equals(NODE_ID)) {
                shown = raw.orElse(nodeId + " (not set: the hostname's ordinal, else 0)");
            } else {
                shown = raw.orElse("none");
            }
            line.add(key + "=" + shown);
        }
        return line.toString();
    }
}
