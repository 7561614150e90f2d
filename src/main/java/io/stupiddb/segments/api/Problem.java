package io.stupiddb.segments.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem: what every error of the API looks like, as {@code application/problem+json}.
 * {@code type} is a stable URI per kind of problem, {@code detail} says what exactly was wrong.
 * Registered for reflection: it is serialized by Jackson from a {@code Response}, in a native image too.
 */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://stupiddb.io/problems/";

    public static Response response(Response.Status status, String kind, String title, String detail) {
        return response(status.getStatusCode(), kind, title, detail);
    }

    public static Response response(int status, String kind, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, kind, title, detail)).build();
    }

    /** The problem of one {@code kind} (the last segment of its {@code type} URI). */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(BASE + kind, title, status, detail);
    }
}
