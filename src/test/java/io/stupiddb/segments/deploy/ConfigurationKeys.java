package io.stupiddb.segments.deploy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configuration keys of SPEC §4: the ONE list the deployment tests check the chart, the
 * plain manifests and the docs against. When the application's {@code @ConfigMapping} exists,
 * point {@link #KEYS} at it (its property names) and keep the rest of this class.
 */
public final class ConfigurationKeys {

    /** Every {@code segments.*} key of SPEC §4, in the spec's order. */
    public static final List<String> KEYS = List.of(
            "segments.data-dir",
            "segments.max-segment-age",
            "segments.max-segment-size",
            "segments.retention",
            "segments.max-total-size",
            "segments.archive-after",
            "segments.archive-dir",
            "segments.compression",
            "segments.compression-level",
            "segments.archive-compression-level",
            "segments.fsync",
            "segments.fsync-interval",
            "segments.max-document-size",
            "segments.max-request-size",
            "segments.timestamp-field",
            "segments.max-clock-skew",
            "segments.min-free-disk",
            "segments.rotation-check-interval",
            "segments.retention-check-interval",
            "segments.api-key",
            "segments.node-id",
            "segments.cluster.peers");

    private ConfigurationKeys() {
    }

    /**
     * The environment variable MicroProfile Config / SmallRye maps to {@code key}: upper case,
     * every character that is not a letter or digit becomes {@code _}
     * ({@code segments.data-dir} → {@code SEGMENTS_DATA_DIR}).
     */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** {@link #envName} of every key, in the order of {@link #KEYS}. */
    public static Set<String> envNames() {
        var names = new LinkedHashSet<String>();
        KEYS.forEach(key -> names.add(envName(key)));
        return names;
    }
}
