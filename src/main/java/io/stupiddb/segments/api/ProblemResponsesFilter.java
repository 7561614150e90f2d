package io.stupiddb.segments.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.Map;

/**
 * Says once, for the whole OpenAPI document, what the resources' annotations leave out of each
 * error response because it is the same everywhere: the body is an RFC 9457 {@link Problem} as
 * {@code application/problem+json}; a 503 carries {@code Retry-After}; a 401 carries
 * {@code WWW-Authenticate}; and every {@code /api/v1} operation can answer 401 (the api key,
 * {@link ApiKeyFilter}, guards them all). Annotations declare each status and when it happens;
 * this filter never adds a status other than 401. Runs at build time only: the
 * smallrye-open-api-maven-plugin (pom.xml, {@code <filter>}) applies it to the document it writes,
 * which {@link OpenApiDocumentRoute} serves as it is.
 */
public class ProblemResponsesFilter implements OASFilter {
    /** Declared on the package ({@code package-info.java}) from the {@link Problem} record. */
    static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path :
                openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/v1")) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                if (operation.getResponses() == null) {
                    operation.setResponses(OASFactory.createAPIResponses());
                }
                if (!operation.getResponses().hasAPIResponse("401")) {
                    operation
                            .getResponses()
                            .addAPIResponse(
                                    "401",
                                    OASFactory.createAPIResponse()
                                            .description(
                                                    "`unauthorized`: segments.api-key is set and the request has no "
                                                            + "`Authorization: Bearer <key>` header, or another key"));
                }
                operation.getResponses().getAPIResponses().forEach(ProblemResponsesFilter::completeError);
            }
        }
    }

    private static void completeError(String status, APIResponse response) {
        if (!status.matches("[45][0-9][0-9]") || response.getRef() != null) {
            return;
        }
        if (response.getContent() == null
                || response.getContent().getMediaTypes() == null
                || response.getContent().getMediaTypes().isEmpty()) {
            Content content = OASFactory.createContent()
                    .addMediaType(
                            Problem.MEDIA_TYPE,
                            OASFactory.createMediaType()
                                    .schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA)));
            response.setContent(content);
        }
        if (status.equals("503")) {
            response.addHeader("Retry-After", header("Seconds to wait before retrying"));
        }
        if (status.equals("401")) {
            response.addHeader("WWW-Authenticate", header("`Bearer`"));
        }
    }

    private static Header header(String description) {
        return OASFactory.createHeader()
                .description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }
}
