package io.stupiddb.segments.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the packaged application for {@link ConsoleApiKeyIT} with {@code segments.api-key} set, and
 * with 15 s of retention so that a segment becomes due for eviction during the test (the retention
 * pass itself is held back to once an hour: the console must show the segment as due, not gone).
 */
public class ConsoleApiKey implements QuarkusTestResourceLifecycleManager {
    static final String KEY = "console-it-key-" + Long.toHexString(System.nanoTime());
    static final int RETENTION_SECONDS = 15;

    @Override
    public Map<String, String> start() {
        return Map.of(
                "segments.api-key",
                KEY,
                "segments.retention",
                RETENTION_SECONDS + "s",
                "segments.retention-check-interval",
                "1h");
    }

    @Override
    public void stop() {}
}
