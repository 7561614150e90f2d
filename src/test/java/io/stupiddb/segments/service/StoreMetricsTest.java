package io.stupiddb.segments.service;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gauges alerts compare against (free disk, the configured limits, the last retention run),
 * scraped from /q/metrics on the management port with settings that differ from the defaults.
 */
@QuarkusTest
@TestProfile(StoreMetricsTest.Limits.class)
class StoreMetricsTest {
    public static final class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.min-free-disk", "1M", "segments.retention", "7d", "segments.max-total-size", "10G");
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Inject
    StoreJobs jobs;

    @Test
    void theConfiguredLimitsAndFreeDiskAreExported() {
        String scrape = scrape(management);
        assertEquals(
                1L << 20, value(scrape, "segment_store_min_free_disk_bytes").orElseThrow(), 0.0);
        assertEquals(
                7 * 86_400, value(scrape, "segment_store_retention_seconds").orElseThrow(), 0.0);
        assertEquals(
                10L << 30, value(scrape, "segment_store_max_total_size_bytes").orElseThrow(), 0.0);
        double free = value(scrape, "segment_store_disk_free_bytes").orElseThrow();
        double capacity = value(scrape, "segment_store_disk_capacity_bytes").orElseThrow();
        assertTrue(free > 0 && free <= capacity, "free disk " + free + " of " + capacity);
    }

    @Test
    void theLastRetentionRunIsTheTimeTheJobLastCompleted() throws Exception {
        double before = System.currentTimeMillis() / 1000.0;
        jobs.archiveAndEvict();
        String scrape = scrape(management);
        // The scheduler may complete a run of its own in between: the gauge is then that later run's time.
        double scraped = System.currentTimeMillis() / 1000.0;
        double last = value(scrape, "segment_store_last_retention_run_timestamp_seconds")
                .orElseThrow();
        assertTrue(last >= before - 0.001 && last <= scraped + 0.001, before + " <= " + last + " <= " + scraped);
    }

    static String scrape(URL management) {
        String root = management.toString().replaceAll("/$", "");
        return given().get(root + "/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of an untagged sample, or empty when the scrape does not have it. */
    static Optional<Double> value(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }
}
