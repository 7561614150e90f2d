package io.stupiddb.segments.api;

import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.format.SegmentHeader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.cluster.PeerClient;
import io.stupiddb.segments.service.cluster.PeerUnavailableException;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code /api/v1/segments}: list, inspect, rotate, run retention, evict one (SPEC §2). */
@Path("/api/v1/segments")
@Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK})
public class SegmentsResource {
    private final StoreService service;
    private final PeerClient peers;
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    public SegmentsResource(StoreService service, PeerClient peers) {
        this.service = service;
        this.peers = peers;
    }

    /** This node's segments; {@code scope=cluster}: every node's, oldest first (per-node lists otherwise). */
    @GET
    public Object list(@QueryParam("state") String state, @QueryParam("scope") String scope,
                       @QueryParam("partial") String partial) {
        SegmentState wanted = state == null || state.isBlank() ? null : parseState(state);
        List<Views.Segment> local = service.store().segments().stream()
                .filter(s -> wanted == null || s.state() == wanted).map(Views.Segment::of).toList();
        if (scope == null || scope.isBlank() || scope.equals("node")) {
            return new Views.Segments(local);
        }
        if (!scope.equals("cluster")) {
            throw new InvalidParameterException("scope must be node or cluster: '" + scope + "'");
        }
        boolean allowPartial = "true".equalsIgnoreCase(partial);
        List<JsonNode> all = new ArrayList<>();
        local.forEach(segment -> all.add(json.valueToTree(segment)));
        List<Integer> missing = new ArrayList<>();
        for (int node : peers.peers().others().keySet()) {
            try {
                var response = peers.forward(node, "/api/v1/segments" + (wanted == null ? "" : "?state=" + wanted),
                        ApiMediaTypes.JSON);
                json.readTree(response.body()).path("segments").forEach(all::add);
            } catch (PeerUnavailableException | java.io.IOException e) {
                if (!allowPartial) {
                    throw new PeerUnavailableException(List.of(node), "node " + node
                            + " did not list its segments (retry, or ask with partial=true)");
                }
                missing.add(node);
            }
        }
        all.sort(Comparator.comparing((JsonNode s) -> s.path("createdAt").asText())
                .thenComparing(s -> s.path("id").asText()));
        ObjectNode result = json.createObjectNode();
        result.putArray("segments").addAll(all);
        if (!missing.isEmpty()) {
            result.put("partial", true);
            missing.forEach(result.putArray("missing")::add);
        }
        return result;
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
