package io.stupiddb.segments.service;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Optional;

import static io.stupiddb.segments.service.StoreMetricsTest.scrape;
import static io.stupiddb.segments.service.StoreMetricsTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With the default settings (and the test profile's min-free-disk of 0): no size cap, no cap gauge. */
@QuarkusTest
class StoreMetricsDefaultsTest {

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void maxTotalSizeIsExportedOnlyWhenSet() {
        String scrape = scrape(management);
        assertEquals(Optional.empty(), value(scrape, "segment_store_max_total_size_bytes"));
        assertEquals(
                30 * 86_400, value(scrape, "segment_store_retention_seconds").orElseThrow(), 0.0);
        assertEquals(0, value(scrape, "segment_store_min_free_disk_bytes").orElseThrow(), 0.0);
    }
}
