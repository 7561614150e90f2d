package io.stupiddb.segments.deploy;

import io.stupiddb.segments.service.config.SegmentsConfig;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The configuration keys the deployment tests check the chart, the plain manifests and the docs against. */
public final class ConfigurationKeys {

    /**
     * Every {@code segments.*} key of SPEC §4, as the application's {@code @ConfigMapping} declares
     * them (SegmentsConfigTest checks that list against the mapping itself), so the chart and the
     * manifests are checked against what the application really reads.
     */
    public static final List<String> KEYS = SegmentsConfig.KEYS;

    private ConfigurationKeys() {}

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
