package io.stupiddb.segments.service;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.stupiddb.segments.service.config.SegmentsConfig;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data directory another store holds ends start-up with a causeless ConfigurationException,
 * which Quarkus prints as its one-line message (exit code 1) instead of a stack trace.
 */
class StoreServiceStartupTest {

    @Test
    void aDataDirectoryInUseIsOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        SegmentsConfig config = new SmallRyeConfigBuilder()
                .withMapping(SegmentsConfig.class)
                .withSources(new PropertiesConfigSource(
                        Map.of("segments.data-dir", dir.toString(), "segments.min-free-disk", "0"), "test", 500))
                .build()
                .getConfigMapping(SegmentsConfig.class);
        try (SegmentStore holder =
                SegmentStore.open(StoreConfig.builder(dir).minFreeDisk(0).build(), InstantSource.system())) {
            StoreService service = new StoreService(config, null);
            var e = assertThrows(ConfigurationException.class, () -> service.onStart(null));
            assertNull(e.getCause(), "the root cause itself, so Quarkus prints only its message");
            assertEquals(Set.of("segments.data-dir"), e.getConfigKeys());
            assertTrue(
                    e.getMessage().startsWith("could not open the segment store: data directory ")
                            && e.getMessage().contains("is in use by another store"),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(!service.isOpen());
        }
    }
}
