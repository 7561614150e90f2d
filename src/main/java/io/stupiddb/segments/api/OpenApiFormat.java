package io.stupiddb.segments.api;

import java.util.Locale;
import java.util.Optional;

/**
 * The two renderings of the OpenAPI document and which one a request asks for: the build writes
 * both (META-INF/openapi/openapi.yaml and openapi.json, see {@link OpenApiDocumentRoute}), so a
 * request only picks a file. The rules are those the quarkus-smallrye-openapi extension served
 * {@code /q/openapi} with before, so clients and Swagger UI see no change: a path ending in
 * {@code .json} is JSON and one in {@code .yaml} or {@code .yml} is YAML; otherwise
 * {@code ?format=json} (any case) is JSON and any other {@code format} is YAML; without either, an
 * {@code Accept} header naming {@code application/json} gets JSON; the default is YAML. Immutable.
 */
enum OpenApiFormat {
    YAML("META-INF/openapi/openapi.yaml", "application/yaml;charset=UTF-8"),
    JSON("META-INF/openapi/openapi.json", "application/json;charset=UTF-8");

    /** The class-path resource the build wrote this rendering to. */
    final String resource;
    /** The Content-Type it is served with. */
    final String contentType;

    OpenApiFormat(String resource, String contentType) {
        this.resource = resource;
        this.contentType = contentType;
    }

    /** The rendering a request for {@code path} asks for (see the class comment for the order). */
    static OpenApiFormat of(String path, Optional<String> format, Optional<String> accept) {
        if (path.endsWith(".json")) {
            return JSON;
        }
        if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            return YAML;
        }
        if (format.isPresent()) {
            return format.get().equalsIgnoreCase("json") ? JSON : YAML;
        }
        return accept.map(a -> a.toLowerCase(Locale.ROOT).contains("application/json"))
                        .orElse(false)
                ? JSON
                : YAML;
    }
}
