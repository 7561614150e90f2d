package io.stupiddb.segments.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * {@code GET /} and {@code GET /console} → 303 to the operators' console, static files under
 * META-INF/resources/console/ (SPEC §13); relative asset links need the trailing slash.
 */
@Path("/")
public class ConsoleRedirect {
    private static final URI CONSOLE = URI.create("/console/");

    @GET
    public Response root() {
        return Response.seeOther(CONSOLE).build();
    }

    @GET
    @Path("console")
    public Response consoleWithoutSlash() {
        return Response.seeOther(CONSOLE).build();
    }
}
