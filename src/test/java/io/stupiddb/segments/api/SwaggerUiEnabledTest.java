package io.stupiddb.segments.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/**
 * {@code quarkus.swagger-ui.enabled=true} (a run-time setting: {@code QUARKUS_SWAGGER_UI_ENABLED})
 * serves Swagger UI on the management port, not on the API port; {@link OpenApiDocumentTest}
 * checks that it is off without it.
 */
@QuarkusTest
@TestProfile(SwaggerUiEnabledTest.Enabled.class)
class SwaggerUiEnabledTest {
    public static final class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.swagger-ui.enabled", "true");
        }
    }

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void theSettingServesSwaggerUiOnTheManagementPortReadingTheDocumentThere() {
        given().get(Management.url(management, "/swagger-ui/"))
                .then()
                .statusCode(200)
                .body(containsString("swagger-ui"), containsString("url: '/q/openapi'"));
        // the document it reads, from the same port (api.OpenApiDocumentRoute)
        given().get(Management.url(management, "/openapi"))
                .then()
                .statusCode(200)
                .body(containsString("openapi: 3.1.0"));
    }

    @Test
    void theApiPortDoesNotServeIt() {
        given().get("/q/swagger-ui/").then().statusCode(404);
    }
}
