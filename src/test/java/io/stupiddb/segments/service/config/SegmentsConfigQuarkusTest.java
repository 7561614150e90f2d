package io.stupiddb.segments.service.config;

import io.quarkus.test.junit.QuarkusTest;
import io.stupiddb.segments.store.StoreConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mapping as Quarkus builds it (converters registered, start-up check passing on the defaults). */
@QuarkusTest
class SegmentsConfigQuarkusTest {

    @Inject
    SegmentsConfig config;

    @Test
    void defaultsReachTheEngineConfig() {
        assertEquals(Duration.ofDays(30), config.retention());
        assertEquals(16L << 20, config.maxRequestSize());
        StoreConfig store = StoreConfigMapper.toStoreConfig(config, () -> "laptop");
        // The %test profile (application.properties) gives each run its own directory and no free-disk floor.
        assertEquals(StoreConfig.builder(store.dataDir()).minFreeDisk(0).build(), store);
        assertEquals(Path.of("target/test-data"), store.dataDir().getParent());
    }
}
