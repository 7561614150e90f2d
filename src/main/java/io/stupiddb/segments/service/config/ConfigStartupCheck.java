package io.stupiddb.segments.service.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Fails start-up on a {@code segments.*} value that parses but is out of range (a zstd level of 30,
 * a node id of 5000, …): SmallRye already fails it on values that do not parse. The message names the
 * key; see {@link StoreConfigMapper#validate}. Runs before the store opens ({@code StoreService},
 * priority 10), then logs the settings in effect in one INFO line ({@link EffectiveSettings}).
 */
@Singleton
public class ConfigStartupCheck {
    private static final Logger LOG = Logger.getLogger(ConfigStartupCheck.class);

    void onStart(@Observes @Priority(5) StartupEvent event, SegmentsConfig config, Config raw) {
        StoreConfigMapper.validate(config, StoreConfigMapper::localHostname);
        int nodeId = StoreConfigMapper.nodeId(config.nodeId(), StoreConfigMapper::localHostname);
        LOG.info(EffectiveSettings.line(key -> rawValue(raw, key), nodeId));
    }

    /** The value as written, before conversion: {@code 1h}, not {@code PT1H}. */
    static Optional<String> rawValue(Config config, String key) {
        return Optional.ofNullable(config.getConfigValue(key).getValue());
    }
}
