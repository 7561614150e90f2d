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
import static org.hamcrest.Matchers.equalTo;

/** With {@code segments.api-key} set, /api/v1 needs the bearer token; health and metrics stay open. */
@QuarkusTest
@TestProfile(ApiKeyTest.WithKey.class)
class ApiKeyTest {
    public static final class WithKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("segments.api-key", "s3cret-key");
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void requestsWithoutTheKeyAre401() {
        given().get("/api/v1/segments")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/segments")
                .then()
                .statusCode(401);
        given().header("Authorization", "Basic czNjcmV0LWtleQ==")
                .get("/api/v1/segments")
                .then()
                .statusCode(401);
        String id = given().header("Authorization", "Bearer s3cret-key")
                .contentType(ContentType.JSON)
                .body("{\"a\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().get("/api/v1/documents/" + id).then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer s3cret-key-but-longer")
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/v1/documents")
                .then()
                .statusCode(401);
    }

    @Test
    void theKeyOpensTheApi() {
        given().header("Authorization", "Bearer s3cret-key")
                .get("/api/v1/segments")
                .then()
                .statusCode(200);
        String id = given().header("Authorization", "Bearer s3cret-key")
                .contentType(ContentType.JSON)
                .body("{\"b\":2}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        given().header("Authorization", "Bearer s3cret-key")
                .get("/api/v1/documents/" + id)
                .then()
                .statusCode(200)
                .body("source.b", org.hamcrest.Matchers.equalTo(2));
        given().header("Authorization", "bearer s3cret-key")
                .contentType(ContentType.JSON)
                .body("{\"a\":1}")
                .post("/api/v1/documents")
                .then()
                .statusCode(201);
    }

    @Test
    void healthAndMetricsNeedNoKey() {
        given().get(Management.url(management, "/health/ready"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        given().get(Management.url(management, "/metrics")).then().statusCode(200);
    }
}
