/**
 * The REST API (SPEC §2), {@code /api/v1} on port 8080: resources, the api-key filter, the
 * problem+json mappers and the views they answer with. docs/API.md is its reference; the
 * OpenAPI document ({@code /q/openapi} on the management port) is built from the annotations
 * here, on the resources and on {@link io.stupiddb.segments.api.ApiSchemas}, and completed by
 * {@link io.stupiddb.segments.api.ProblemResponsesFilter}.
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "stupid-db segment store",
                        version = "1",
                        description = "Time-partitioned, append-only JSON document segments. Every error is "
                                + "application/problem+json (RFC 9457) with a stable `type` per kind of problem. Every route "
                                + "can also answer 400 `malformed-request` (a URI that is not RFC 3986) and 414 "
                                + "`uri-too-long` (a URI over 64 KiB). The full reference, with the cursor and cluster "
                                + "semantics, is docs/API.md in the repository."),
        tags = {
            @Tag(name = "Documents", description = "Write, get, scan and search documents"),
            @Tag(name = "Segments", description = "The segments of this node (or of the cluster), their lifecycle"),
            @Tag(name = "Events", description = "The lifecycle journal: sealed, archived, evicted, quarantined"),
            @Tag(name = "Ping", description = "Reachability and auth check")
        },
        securitySets = {@SecurityRequirementsSet, @SecurityRequirementsSet(@SecurityRequirement(name = "apiKey"))},
        components =
                @Components(
                        schemas = @Schema(name = "Problem", implementation = Problem.class),
                        securitySchemes =
                                @SecurityScheme(
                                        securitySchemeName = "apiKey",
                                        type = SecuritySchemeType.HTTP,
                                        scheme = "bearer",
                                        description =
                                                "Only when segments.api-key is set: `Authorization: Bearer <segments.api-key>` on every "
                                                        + "/api/v1 request, else 401 `unauthorized`.")))
package io.stupiddb.segments.api;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
