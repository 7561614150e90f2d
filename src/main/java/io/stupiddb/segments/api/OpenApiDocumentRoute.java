package io.stupiddb.segments.api;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the OpenAPI document of the REST API on the management port: {@code GET /q/openapi}
 * (YAML; {@code ?format=json} JSON, see {@link OpenApiFormat}), also as {@code /q/openapi.json},
 * {@code .yaml} and {@code .yml}, and {@code HEAD} of each; Swagger UI
 * ({@code quarkus.swagger-ui.enabled=true}) reads it from there.
 *
 * <p>The document is made by the build, not here: the smallrye-open-api-maven-plugin (pom.xml)
 * reads the MicroProfile OpenAPI annotations of this package, applies
 * {@link ProblemResponsesFilter} and writes {@code META-INF/openapi/openapi.yaml} and
 * {@code openapi.json} into the classes, so the document cannot drift from the code. This class
 * reads a file the first time a request asks for it and keeps its bytes: nothing about OpenAPI
 * runs at start-up. (The quarkus-smallrye-openapi extension that served it before parsed the
 * build's document and serialized it twice at every start, about a quarter of the time to ready;
 * issue 14.)
 *
 * <p>Thread-safety: requests run on worker threads (a blocking handler, since the first request of
 * each format reads its file); the cache is a {@link ConcurrentHashMap} whose
 * {@code computeIfAbsent} reads each file at most once, and its values are never modified.
 */
@ApplicationScoped
public class OpenApiDocumentRoute {
    /** Where the document is served, under the management interface's root path ({@code /q}). */
    static final List<String> PATHS =
            List.of("/q/openapi", "/q/openapi/", "/q/openapi.json", "/q/openapi.yaml", "/q/openapi.yml");

    private final Map<OpenApiFormat, Buffer> documents = new ConcurrentHashMap<>();

    void register(@Observes ManagementInterface management) {
        for (String path : PATHS) {
            management
                    .router()
                    .route(path)
                    .method(HttpMethod.GET)
                    .method(HttpMethod.HEAD)
                    .blockingHandler(this::serve, false);
        }
    }

    private void serve(RoutingContext context) {
        OpenApiFormat format = OpenApiFormat.of(
                context.request().path(),
                Optional.ofNullable(context.request().getParam("format")),
                Optional.ofNullable(context.request().getHeader(HttpHeaders.ACCEPT)));
        Buffer document = documents.computeIfAbsent(format, OpenApiDocumentRoute::read);
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType)
                .end(document);
    }

    /** The bytes the build wrote; a build without them is broken, so this fails the request loudly. */
    static Buffer read(OpenApiFormat format) {
        try (InputStream in = Optional.ofNullable(
                        OpenApiDocumentRoute.class.getClassLoader().getResourceAsStream(format.resource))
                .orElseThrow(() -> new IllegalStateException(format.resource
                        + " is missing from the class path: the build's smallrye-open-api-maven-plugin writes it"))) {
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + format.resource, e);
        }
    }
}
