package io.stupiddb.segments.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/ping}: 204, touches nothing. Lets clients check reachability and auth
 * through the same path as the API, and is the "no-op endpoint of the same app" the HTTP
 * benchmark compares gets against.
 */
@Path("/api/v1/ping")
public class PingResource {
    @GET
    public Response ping() {
        return Response.noContent().build();
    }
}
