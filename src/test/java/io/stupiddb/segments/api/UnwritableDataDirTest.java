package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Readiness goes DOWN when the data directory stops being writable. Tests run as root here,
 * which ignores permission bits, so the directory is swapped for a plain file (what an
 * unmounted or replaced volume looks like), then put back.
 */
@QuarkusTest
@TestProfile(UnwritableDataDirTest.OwnDir.class)
class UnwritableDataDirTest {
    static final Path DIR =
            Path.of("target/test-data/unwritable-" + ProcessHandle.current().pid());

    public static final class OwnDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.data-dir", DIR.toString());
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void readinessDownWhileTheDirectoryIsNotWritable() throws Exception {
        given().get(Management.url(management, "/health/ready")).then().statusCode(200);
        Path aside = DIR.resolveSibling(DIR.getFileName() + ".aside");
        Files.move(DIR, aside);
        Files.writeString(DIR, "not a directory");
        try {
            given().get(Management.url(management, "/health/ready"))
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'segment-store' }.data.reason", containsString("not writable"));
            given().get(Management.url(management, "/health/live")).then().statusCode(200);
        } finally {
            Files.delete(DIR);
            Files.move(aside, DIR);
        }
        given().get(Management.url(management, "/health/ready")).then().statusCode(200);
    }
}
