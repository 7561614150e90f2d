package io.stupiddb.segments.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/**
 * {@code GET /} and {@code GET /console} → 303 to the operators' console, static files under
 * META-INF/resources/console/ (SPEC §13); relative asset links need the trailing slash.
 */
@Path("/")
@Tag(name = "Console", description = "The operators' web page")
public class ConsoleRedirect {
    private static final URI CONSOLE = URI.create("/console/");

    @GET
    @Operation(
            summary = "Redirect to the console",
            description = "303 to /console/, the operators' web page "
                    + "(static; it asks for the api key and sends it with its API calls). Needs no api key.")
    @APIResponse(
            responseCode = "303",
            description = "To /console/",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, examples = "/console/")))
    public Response root() {
        return Response.seeOther(CONSOLE).build();
    }

    @GET
    @Path("console")
    @Operation(
            summary = "Redirect to the console",
            description =
                    "303 to /console/ (the page's relative links " + "need the trailing slash). Needs no api key.")
    @APIResponse(
            responseCode = "303",
            description = "To /console/",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, examples = "/console/")))
    public Response consoleWithoutSlash() {
        return Response.seeOther(CONSOLE).build();
    }
}
