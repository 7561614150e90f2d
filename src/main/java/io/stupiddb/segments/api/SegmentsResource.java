package io.stupiddb.segments.api;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.format.SegmentHeader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.cluster.ClusterSegments;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code /api/v1/segments}: list, inspect, rotate, run retention, evict one (SPEC §2). */
@Path("/api/v1/segments")
@Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK})
public class SegmentsResource {
    private final StoreService service;
    private final ClusterSegments cluster;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public SegmentsResource(StoreService service, ClusterSegments cluster) {
        this.service = service;
        this.cluster = cluster;
    }

    /** This node's segments; {@code scope=cluster}: every node's, oldest first (per-node lists otherwise). */
    @GET
    public Views.SegmentList list(@QueryParam("state") String state, @QueryParam("scope") String scope,
                       @QueryParam("partial") String partial) {
        Optional<SegmentState> wanted = Parameters.absent(state) ? Optional.empty() : Optional.of(parseState(state));
        boolean allowPartial = Parameters.flag(partial, "partial");
        List<Views.Segment> local = service.store().segments().stream()
                .filter(s -> wanted.isEmpty() || s.state() == wanted.get()).map(Views.Segment::of).toList();
        if (scope == null || scope.isBlank() || scope.equals("node")) {
            return new Views.Segments(local);
        }
        if (!scope.equals("cluster")) {
            throw new InvalidParameterException("scope must be node or cluster: '" + scope + "'");
        }
        List<JsonNode> localJson = local.stream().<JsonNode>map(json::valueToTree).toList();
        ClusterSegments.Listing listing = cluster.list(localJson, wanted, allowPartial);
        return Views.ClusterSegmentList.of(listing.segments(), listing.missing());
    }

    @GET
    @Path("{id}")
    public Views.Segment get(@PathParam("id") String id) {
        return Views.Segment.of(find(service.store(), checked(id)));
    }

    @POST
    @Path("rotate")
    public Response rotate() throws IOException {
        return service.store().rotate(RotationReason.MANUAL)
                .map(sealed -> Response.ok(Views.Segment.of(sealed)).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @POST
    @Path("evict")
    public Views.Evicted evict() throws IOException {
        return new Views.Evicted(service.store().enforceRetention());
    }

    @DELETE
    @Path("{id}")
    public Views.Evicted delete(@PathParam("id") String id) throws IOException {
        service.store().evict(checked(id));
        return new Views.Evicted(List.of(id));
    }

    private static SegmentInfo find(SegmentStore store, String id) {
        return store.segment(id).orElseThrow(() -> new io.stupiddb.segments.lifecycle.NoSuchSegmentException(id));
    }

    /** Segment ids are [0-9a-z-]: anything else is a 400, never a path. */
    private static String checked(String id) {
        if (id == null || !SegmentHeader.SEGMENT_ID.matcher(id).matches()) {
            throw new InvalidParameterException("a segment id is 1-64 characters of [0-9a-z-]");
        }
        return id;
    }

    private static SegmentState parseState(String state) {
        try {
            return SegmentState.valueOf(state.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException("state must be ACTIVE, SEALED or ARCHIVED: '" + state + "'");
        }
    }
}
