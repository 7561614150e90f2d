package io.stupiddb.segments.service.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.Map;

/** Builds {@link SegmentsConfig} the way Quarkus does, from given properties only (no env, no files). */
final class TestConfigs {
    private TestConfigs() {}

    static SegmentsConfig of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SegmentsConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(SegmentsConfig.class);
    }

    static SegmentsConfig of(String key, String value) {
        return of(Map.of(key, value));
    }
}
