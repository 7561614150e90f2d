package io.stupiddb.segments.api;

import io.stupiddb.segments.service.cluster.ClusterDeletes;
import io.stupiddb.segments.service.cluster.DeleteRequest;
import io.stupiddb.segments.service.cluster.PeerClient;
import io.stupiddb.segments.service.codec.BodyFormat;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /api/v1/documents/delete}: delete by filter (SPEC §11). Reads and validates the
 * body ({@link DeleteRequests}: every error a 400 before anything is deleted), asks
 * {@link ClusterDeletes} (this node, or every node), writes the answer. Thin.
 */
@Path("/api/v1/documents/delete")
@Tag(name = "Documents")
public class DeletesResource {
    private final ClusterDeletes deletes;
    private final boolean clustered;

    @Inject
    public DeletesResource(ClusterDeletes deletes, PeerClient peers) {
        this.deletes = deletes;
        this.clustered = peers.peers().clustered();
    }

    @POST
    @Produces(ApiMediaTypes.JSON)
    @Operation(
            summary = "Delete the documents matching a filter",
            description = "Every document matching the filter in [from, to) disappears from gets (404) and scans"
                    + " before the answer, durably (kill -9, restart, archiving), and the journal gets"
                    + " DOCUMENTS_DELETED per affected segment with the ids (at most 10,000 an event). The space"
                    + " comes back when the affected sealed segments are rewritten in the background"
                    + " (SEGMENT_REWRITTEN; deletions in the active segment once it is sealed). In a cluster every"
                    + " node deletes from its own data; when a node does not answer nothing is deleted (503) unless"
                    + " partial=true. A retry is safe: what is deleted is not found again.")
    @RequestBody(
            required = true,
            description = "At most 1 MiB",
            content =
                    @Content(
                            mediaType = ApiMediaTypes.JSON,
                            schema = @Schema(implementation = ApiSchemas.Delete.class),
                            example = "{\"filter\":{\"user.id\":\"u-123\"},\"from\":\"2026-11-01T00:00:00Z\"}"))
    @Parameter(
            name = "partial",
            in = ParameterIn.QUERY,
            description = "Cluster: delete on the nodes that answer when some do not (also a body field)",
            schema = @Schema(type = SchemaType.BOOLEAN))
    @Parameter(name = PeerClient.FORWARDED, in = ParameterIn.HEADER, hidden = true)
    @APIResponse(
            responseCode = "200",
            description = "Deleted (0 when nothing matched)",
            content =
                    @Content(
                            mediaType = ApiMediaTypes.JSON,
                            schema = @Schema(implementation = DeleteViews.Deleted.class)))
    @APIResponse(
            responseCode = "400",
            description = "`invalid-parameter`: no filter, {} without \"all\":true, an unknown field, all/partial not"
                    + " a boolean, not an object; `invalid-filter` (detail says where); `invalid-time-range`;"
                    + " `malformed-body`: not JSON. Nothing was deleted")
    @APIResponse(responseCode = "413", description = "`request-too-large`: the body is over 1 MiB")
    @APIResponse(responseCode = "415", description = "`http-415`: Content-Type is not application/json")
    @APIResponse(
            responseCode = "503",
            description = "`node-unavailable`: cluster, a node did not answer and partial is not true (nothing was"
                    + " deleted when it was down from the start; the detail names the nodes that deleted when it"
                    + " failed midway); `unavailable`: recovering or shutting down")
    public DeleteViews.Deleted delete(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @QueryParam("partial") String partial,
            @HeaderParam(PeerClient.FORWARDED) String forwarded)
            throws IOException {
        if (BodyFormat.ofMediaType(contentType)
                .filter(f -> f == BodyFormat.JSON)
                .isEmpty()) {
            throw new NotSupportedException("send the delete as application/json, not " + contentType);
        }
        DeleteRequest request = DeleteRequests.of(body, partial);
        boolean local = forwarded != null || !clustered;
        ClusterDeletes.Outcome outcome = deletes.delete(request, forwarded != null);
        return local
                ? DeleteViews.Deleted.local(outcome.nodes().values().iterator().next())
                : DeleteViews.Deleted.cluster(outcome);
    }
}
