package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document served on the management port describes the API as docs/API.md does:
 * request bodies per media type, error responses as problem+json, descriptions on operations and
 * parameters, and every route of the code. Swagger UI is built in but off by default.
 */
@QuarkusTest
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");

    @TestHTTPResource(value = "", management = true)
    URL management;

    private JsonNode document;

    @BeforeEach
    void fetch() throws IOException {
        String body = given().get(Management.url(management, "/openapi?format=json"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = new ObjectMapper().readTree(body);
    }

    @Test
    void aWriteDeclaresJsonNdjsonAndMsgpackBodies() {
        JsonNode content =
                operation("/api/v1/documents", "post").path("requestBody").path("content");
        assertEquals(Set.of("application/json", "application/x-ndjson", "application/msgpack"), names(content));
        assertTrue(operation("/api/v1/documents", "post")
                .path("requestBody")
                .path("required")
                .asBoolean());
    }

    @Test
    void aWriteDeclaresItsErrorsAsProblems() {
        JsonNode responses = operation("/api/v1/documents", "post").path("responses");
        assertTrue(
                names(responses).containsAll(List.of("201", "400", "401", "413", "415", "422", "503", "507")),
                names(responses).toString());
        for (String status : List.of("400", "413", "415", "422", "507")) {
            assertEquals(
                    "#/components/schemas/Problem",
                    responses
                            .path(status)
                            .path("content")
                            .path("application/problem+json")
                            .path("schema")
                            .path("$ref")
                            .asText(),
                    "POST /api/v1/documents " + status);
        }
    }

    @Test
    void theSearchTakesAJsonObjectOfTheScanParameters() {
        JsonNode schema = operation("/api/v1/documents/search", "post")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        assertEquals("#/components/schemas/Search", schema.path("$ref").asText());
        assertEquals(
                Set.of("from", "to", "filter", "limit", "cursor", "partial"),
                names(document.path("components").path("schemas").path("Search").path("properties")));
    }

    @Test
    void everyOperationHasADescriptionDescribedParametersAndItsErrorsAsProblems() {
        List<String> faults = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    if (!METHODS.contains(op.getKey())) {
                        return;
                    }
                    String route = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                    boolean api = path.getKey().startsWith("/api/v1");
                    JsonNode operation = op.getValue();
                    if (operation.path("description").asText().isBlank()) {
                        faults.add(route + ": no description");
                    }
                    operation.path("parameters").forEach(parameter -> {
                        if (parameter.path("description").asText().isBlank()) {
                            faults.add(route + ": parameter "
                                    + parameter.path("name").asText() + " has no description");
                        }
                    });
                    boolean anyError = false;
                    for (var response : operation.path("responses").properties()) {
                        if (!response.getKey().matches("[45]\\d\\d")) {
                            continue;
                        }
                        anyError = true;
                        if (!response.getValue().path("content").has(Problem.MEDIA_TYPE)) {
                            faults.add(route + " " + response.getKey() + ": not application/problem+json");
                        }
                        if (response.getKey().equals("503")
                                && !response.getValue().path("headers").has("Retry-After")) {
                            faults.add(route + " 503: no Retry-After");
                        }
                    }
                    if (api && !anyError) {
                        faults.add(route + ": declares no error response");
                    }
                }));
        assertEquals(List.of(), faults);
    }

    @Test
    void theProblemSchemaHasTheRfc9457Members() {
        assertEquals(
                Set.of("type", "title", "status", "detail"),
                names(document.path("components")
                        .path("schemas")
                        .path("Problem")
                        .path("properties")));
    }

    @Test
    void everyRouteOfTheCodeIsInTheDocument() {
        Set<String> documented = new TreeSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    if (METHODS.contains(op.getKey())) {
                        documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        assertEquals(ApiReferenceTest.codeRoutes(), documented);
    }

    @Test
    void swaggerUiIsOffUnlessEnabled() {
        given().get(Management.url(management, "/swagger-ui/")).then().statusCode(404);
    }

    private JsonNode operation(String path, String method) {
        JsonNode operation = document.path("paths").path(path).path(method);
        assertFalse(operation.isMissingNode(), method + " " + path + " is not in the OpenAPI document");
        return operation;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
