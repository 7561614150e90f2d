package io.stupiddb.segments.service.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Fails start-up on a {@code segments.*} value that parses but is out of range (a zstd level of 30,
 * a node id of 5000, …): SmallRye already fails it on values that do not parse. The message names the
 * key; see {@link StoreConfigMapper#validate}.
 */
@Singleton
public class ConfigStartupCheck {

    void onStart(@Observes StartupEvent event, SegmentsConfig config) {
        StoreConfigMapper.validate(config, StoreConfigMapper::localHostname);
    }
}
