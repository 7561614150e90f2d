package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.net.URL;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the service serves the OpenAPI document the build wrote: the URLs, content types and format
 * choices of {@code /q/openapi} on the management port, YAML and JSON saying the same thing, the
 * very bytes the build wrote, and nothing on the API port. What the document says is
 * {@link OpenApiDocumentTest}'s.
 */
@QuarkusTest
class OpenApiDocumentRouteTest {
    private static final String YAML = "application/yaml;charset=UTF-8";
    private static final String JSON = "application/json;charset=UTF-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void yamlByDefaultAndJsonOnRequestSayTheSame() throws Exception {
        Response yaml = get("/openapi");
        Response json = get("/openapi?format=json");
        assertEquals(YAML, yaml.contentType());
        assertEquals(JSON, json.contentType());
        assertTrue(yaml.asString().contains("openapi: 3.1.0"), yaml.asString().substring(0, 40));
        assertEquals(MAPPER.readTree(json.asString()), treeOfYaml(yaml.asString()));
    }

    @Test
    void servesTheBytesTheBuildWrote() throws Exception {
        for (OpenApiFormat format : OpenApiFormat.values()) {
            byte[] built = OpenApiDocumentRoute.read(format).getBytes();
            byte[] served = get(format == OpenApiFormat.JSON ? "/openapi.json" : "/openapi.yaml")
                    .asByteArray();
            assertEquals(new String(built, "UTF-8"), new String(served, "UTF-8"), format.name());
        }
    }

    @Test
    void everyWayOfAskingGetsItsFormat() {
        Map<String, String> expected = Map.of(
                "/openapi?format=JSON", JSON,
                "/openapi?format=yaml", YAML,
                "/openapi.json", JSON,
                "/openapi.yaml", YAML,
                "/openapi.yml", YAML,
                "/openapi/", YAML);
        expected.forEach((path, type) -> assertEquals(type, get(path).contentType(), path));
        assertEquals(
                JSON,
                given().header("Accept", "application/json")
                        .get(Management.url(management, "/openapi"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .contentType());
    }

    @Test
    void headAnswersTheHeadersWithoutABody() {
        given().head(Management.url(management, "/openapi"))
                .then()
                .statusCode(200)
                .contentType(YAML)
                .body(emptyString());
    }

    @Test
    void otherMethodsAreRefused() {
        given().body("{}").post(Management.url(management, "/openapi")).then().statusCode(405);
        given().delete(Management.url(management, "/openapi.json")).then().statusCode(405);
    }

    @Test
    void theApiPortDoesNotServeIt() {
        given().get("/q/openapi").then().statusCode(404);
    }

    private Response get(String path) {
        return given().get(Management.url(management, path))
                .then()
                .statusCode(200)
                .extract()
                .response();
    }

    /** YAML as a JSON tree; timestamps stay strings (as in JSON), not YAML 1.1 dates. */
    private static JsonNode treeOfYaml(String yaml) throws Exception {
        Resolver noTimestamps = new Resolver() {
            @Override
            public void addImplicitResolver(
                    org.yaml.snakeyaml.nodes.Tag tag, java.util.regex.Pattern regexp, String first, int limit) {
                if (!tag.equals(org.yaml.snakeyaml.nodes.Tag.TIMESTAMP)) {
                    super.addImplicitResolver(tag, regexp, first, limit);
                }
            }
        };
        LoaderOptions loading = new LoaderOptions();
        DumperOptions dumping = new DumperOptions();
        Object loaded = new Yaml(new SafeConstructor(loading), new Representer(dumping), dumping, loading, noTimestamps)
                .load(yaml);
        // through text, so that numbers compare as JSON numbers whatever Java type YAML gave them
        return MAPPER.readTree(MAPPER.writeValueAsString(loaded));
    }
}
