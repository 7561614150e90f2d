package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Free disk below {@code segments.min-free-disk}: writes 507, reads go on, readiness DOWN with the reason. */
@QuarkusTest
@TestProfile(LowDiskTest.HugeMinimum.class)
class LowDiskTest {
    public static final class HugeMinimum implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.min-free-disk", "1000000G");
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void writesAre507ReadsGoOnReadinessSaysWhy() {
        given().contentType(ContentType.JSON)
                .body("{\"a\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(507)
                .contentType("application/problem+json")
                .body("detail", containsString("min-free-disk"))
                .body("detail", not(containsString("/"))); // no server path in an API answer
        given().get("/api/v1/documents").then().statusCode(200);
        given().get("/api/v1/segments").then().statusCode(200);
        given().get(Management.url(management, "/health/ready"))
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'segment-store' }.data.reason", containsString("min-free-disk"));
        given().get(Management.url(management, "/health/live")).then().statusCode(200);
    }
}
