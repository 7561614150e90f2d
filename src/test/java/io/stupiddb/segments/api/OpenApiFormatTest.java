package io.stupiddb.segments.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which rendering of the OpenAPI document a request gets: suffix, then format, then Accept, else YAML. */
class OpenApiFormatTest {
    @ParameterizedTest(name = "{0} format={1} Accept={2} -> {3}")
    @CsvSource(
            nullValues = "-",
            value = {
                "/q/openapi, -, -, YAML",
                "/q/openapi/, -, -, YAML",
                "/q/openapi, json, -, JSON",
                "/q/openapi, JSON, -, JSON",
                "/q/openapi, yaml, -, YAML",
                "/q/openapi, xml, -, YAML",
                "/q/openapi, '', -, YAML",
                "/q/openapi, -, application/json, JSON",
                "/q/openapi, -, Application/JSON;q=0.9, JSON",
                "/q/openapi, -, 'text/html, application/json', JSON",
                "/q/openapi, -, application/yaml, YAML",
                "/q/openapi, -, */*, YAML",
                "/q/openapi, yaml, application/json, YAML",
                "/q/openapi, json, application/yaml, JSON",
                "/q/openapi.json, -, -, JSON",
                "/q/openapi.json, yaml, application/yaml, JSON",
                "/q/openapi.yaml, json, application/json, YAML",
                "/q/openapi.yml, -, application/json, YAML",
            })
    void picksTheRendering(String path, String format, String accept, OpenApiFormat expected) {
        assertEquals(expected, OpenApiFormat.of(path, Optional.ofNullable(format), Optional.ofNullable(accept)));
    }
}
