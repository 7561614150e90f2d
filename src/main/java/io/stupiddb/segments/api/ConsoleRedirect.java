package io.stupiddb.segments.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/** {@code GET /} → 303 to the operators' console, static files under META-INF/resources/console/ (SPEC §13). */
@Path("/")
public class ConsoleRedirect {
    @GET
    public Response root() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
