package io.stupiddb.segments.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem: what every error of the API looks like, as {@code application/problem+json}.
 * {@code type} is a stable URI per kind of problem, {@code detail} says what exactly was wrong.
 * Registered for reflection: it is serialized by Jackson from a {@code Response}, in a native image too.
 */
@RegisterForReflection
@Schema(description = "An RFC 9457 problem, as application/problem+json; match on `type`, not on `title` or `detail`")
public record Problem(
        @Schema(
                required = true,
                description = "https://stupiddb.io/problems/<kind>, stable per kind of problem",
                example = "https://stupiddb.io/problems/invalid-filter")
        String type,

        @Schema(required = true, description = "Short, fixed per type", example = "Invalid filter")
        String title,

        @Schema(required = true, description = "The HTTP status", example = "400")
        int status,

        @Schema(
                required = true,
                description = "What exactly was wrong: the batch element or line, the parameter and "
                        + "value, the place in a filter",
                example = "invalid filter at /a/$foo: unknown operator \"$foo\"")
        String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://stupiddb.io/problems/";

    public static Response response(Response.Status status, String kind, String title, String detail) {
        return response(status.getStatusCode(), kind, title, detail);
    }

    public static Response response(int status, String kind, String title, String detail) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(of(status, kind, title, detail))
                .build();
    }

    /** The problem of one {@code kind} (the last segment of its {@code type} URI). */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(BASE + kind, title, status, detail);
    }
}
