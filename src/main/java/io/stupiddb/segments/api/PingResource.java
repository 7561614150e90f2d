package io.stupiddb.segments.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/ping}: 204, touches nothing. Lets clients check reachability and auth
 * through the same path as the API, and is the "no-op endpoint of the same app" the HTTP
 * benchmark compares gets against.
 */
@Path("/api/v1/ping")
@Tag(name = "Ping")
public class PingResource {
    @GET
    @Operation(
            summary = "Check reachability and the api key",
            description = "Touches nothing. With "
                    + "segments.api-key set it needs the key like every other route, so a 204 also proves the key.")
    @APIResponse(responseCode = "204", description = "Reachable (and authorized)")
    public Response ping() {
        return Response.noContent().build();
    }
}
