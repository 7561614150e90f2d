package io.stupiddb.segments.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stupiddb.segments.format.SegmentHeader;
import io.stupiddb.segments.lifecycle.RotationReason;
import io.stupiddb.segments.segment.SegmentInfo;
import io.stupiddb.segments.segment.SegmentState;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.cluster.ClusterSegments;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.DeleteProgress;
import io.stupiddb.segments.store.RetentionClass;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code /api/v1/segments}: list, inspect, rotate, run retention, evict one (SPEC §2). */
@Path("/api/v1/segments")
@Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK})
@Tag(name = "Segments")
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
    @Operation(
            summary = "List segments",
            description = "This node's segments, oldest first, the active one "
                    + "last; with scope=cluster, every node's, merged by createdAt.")
    @Parameter(
            name = "state",
            in = ParameterIn.QUERY,
            description = "Only segments in this state " + "(case-insensitive)",
            schema =
                    @Schema(
                            type = SchemaType.STRING,
                            enumeration = {"ACTIVE", "SEALED", "ARCHIVED"}))
    @Parameter(
            name = "scope",
            in = ParameterIn.QUERY,
            description = "node (default): this node; cluster: every " + "node of segments.cluster.peers",
            schema =
                    @Schema(
                            type = SchemaType.STRING,
                            enumeration = {"node", "cluster"}))
    @Parameter(
            name = "partial",
            in = ParameterIn.QUERY,
            description = "With scope=cluster: true lists what the "
                    + "answering nodes have, the others under `missing`, instead of a 503",
            schema = @Schema(type = SchemaType.BOOLEAN))
    @APIResponse(
            responseCode = "200",
            description = "The segments: Segments, or with scope=cluster " + "ClusterSegmentList",
            content = {
                @Content(
                        mediaType = ApiMediaTypes.JSON,
                        schema = @Schema(oneOf = {Views.Segments.class, Views.ClusterSegmentList.class})),
                @Content(
                        mediaType = ApiMediaTypes.MSGPACK,
                        schema = @Schema(oneOf = {Views.Segments.class, Views.ClusterSegmentList.class}))
            })
    @APIResponse(responseCode = "400", description = "`invalid-parameter`: state, scope or partial")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows neither JSON nor MessagePack")
    @APIResponse(responseCode = "503", description = "`node-unavailable`: scope=cluster, a node did not answer")
    public Views.SegmentListing list(
            @QueryParam("state") String state,
            @QueryParam("scope") String scope,
            @QueryParam("partial") String partial) {
        Optional<SegmentState> wanted = Parameters.absent(state) ? Optional.empty() : Optional.of(parseState(state));
        boolean allowPartial = Parameters.flag(partial, "partial");
        DeleteProgress deletes = service.store().deleteProgress();
        ClassedStore store = service.store();
        List<Views.Segment> local = store.classedSegments().stream()
                .filter(s -> wanted.isEmpty() || s.info().state() == wanted.get())
                .map(s -> Views.Segment.of(
                        s.info(),
                        s.retentionClass(),
                        store.location(s.info().id()),
                        deletes,
                        store.damagedRecords(s.info().id())))
                .toList();
        if (scope == null || scope.isBlank() || scope.equals("node")) {
            return new Views.Segments(local);
        }
        if (!scope.equals("cluster")) {
            throw new InvalidParameterException("scope must be node or cluster: '" + scope + "'");
        }
        List<JsonNode> localJson =
                local.stream().<JsonNode>map(json::valueToTree).toList();
        ClusterSegments.Listing listing = cluster.list(localJson, wanted, allowPartial);
        return Views.ClusterSegmentList.of(listing.segments(), listing.missing());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get one segment", description = "A segment of this node.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = ApiSchemas.SEGMENT_ID, example = "0000-1795968009147")
    @APIResponse(
            responseCode = "200",
            description = "The segment",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Views.Segment.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Views.Segment.class))
            })
    @APIResponse(responseCode = "400", description = "`invalid-parameter`: not 1-64 characters of [0-9a-z-]")
    @APIResponse(responseCode = "404", description = "`segment-not-found`: not on this node (never, or evicted)")
    public Views.Segment get(@PathParam("id") String id) {
        ClassedStore store = service.store();
        SegmentInfo info = find(store, checked(id));
        return Views.Segment.of(
                info,
                store.retentionClassOf(info.id()).orElse(RetentionClass.DEFAULT),
                store.location(info.id()),
                store.deleteProgress(),
                store.damagedRecords(info.id()));
    }

    @POST
    @Path("rotate")
    @Operation(
            summary = "Seal the active segment now",
            description = "Seals this node's active segment as the "
                    + "size or age limit would; the next write opens a new one. SEGMENT_SEALED is journaled before the "
                    + "answer. With retention classes every class's active segment is sealed; the answer is the"
                    + " default class's (or the first class's when the default had none): GET /segments lists them"
                    + " all.")
    @APIResponse(
            responseCode = "200",
            description = "The sealed segment",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Views.Segment.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Views.Segment.class))
            })
    @APIResponse(responseCode = "204", description = "No active segment, or it holds no documents")
    @APIResponse(
            responseCode = "507",
            description = "`insufficient-storage`: the disk filled up while sealing; the " + "segment stays active")
    public Response rotate() throws IOException {
        ClassedStore store = service.store();
        List<SegmentInfo> sealed = store.rotate(RotationReason.MANUAL);
        if (sealed.isEmpty()) {
            return Response.noContent().build();
        }
        SegmentInfo first = sealed.getFirst();
        return Response.ok(Views.Segment.of(
                        first, store.retentionClassOf(first.id()).orElse(RetentionClass.DEFAULT)))
                .build();
    }

    @POST
    @Path("evict")
    @Operation(
            summary = "Run retention now",
            description = "This node's retention pass, as the scheduler runs it: "
                    + "evicts segments whose newest event time is older than segments.retention, then the oldest while "
                    + "the store exceeds segments.max-total-size. Each eviction is journaled (SEGMENT_EVICTED).")
    @APIResponse(
            responseCode = "200",
            description = "The evicted segment ids, oldest first; empty when none was " + "due",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Views.Evicted.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Views.Evicted.class))
            })
    @APIResponse(responseCode = "503", description = "`unavailable`: recovering or shutting down")
    public Views.Evicted evict() throws IOException {
        return new Views.Evicted(service.store().enforceRetention());
    }

    @DELETE
    @Path("{id}")
    @Operation(
            summary = "Evict one segment now",
            description = "Evicts a sealed or archived segment of this node, "
                    + "whatever its age: its documents are gone (gets answer 404), SEGMENT_EVICTED with reason MANUAL is "
                    + "journaled before the answer.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = ApiSchemas.SEGMENT_ID, example = "0000-1795968009147")
    @APIResponse(
            responseCode = "200",
            description = "The evicted id",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Views.Evicted.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Views.Evicted.class))
            })
    @APIResponse(responseCode = "400", description = "`invalid-parameter`: not 1-64 characters of [0-9a-z-]")
    @APIResponse(responseCode = "404", description = "`segment-not-found`: not on this node")
    @APIResponse(responseCode = "409", description = "`active-segment`: the active segment; rotate it first")
    public Views.Evicted delete(@PathParam("id") String id) throws IOException {
        service.store().evict(checked(id));
        return new Views.Evicted(List.of(id));
    }

    @POST
    @Path("{id}/salvage")
    @Operation(
            summary = "Salvage a damaged or quarantined segment",
            description = "Rewrites the segment from its intact records (those of its file in service and of its "
                    + "newest copy in quarantine/, an active file set aside before recovery cut it included), "
                    + "verifies the new file end to end and puts it back into service under its id. The documents "
                    + "its index listed but no intact record holds are journaled as DOCUMENTS_DAMAGED, then "
                    + "SEGMENT_SEALED (detail: salvaged) tells consumers the segment is back.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = ApiSchemas.SEGMENT_ID, example = "0000-1795968009147")
    @APIResponse(
            responseCode = "200",
            description = "What was kept and lost",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Views.Salvaged.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Views.Salvaged.class))
            })
    @APIResponse(responseCode = "400", description = "`invalid-parameter`: not 1-64 characters of [0-9a-z-]")
    @APIResponse(
            responseCode = "404",
            description = "`segment-not-found`: neither listed on this node nor in quarantine/")
    @APIResponse(responseCode = "409", description = "`active-segment`: the active segment")
    @APIResponse(
            responseCode = "422",
            description = "`not-salvageable`: no intact record left, or the header (id, dictionary) is unreadable")
    public Views.Salvaged salvage(@PathParam("id") String id) throws IOException {
        return Views.Salvaged.of(service.store().salvage(checked(id)));
    }

    private static SegmentInfo find(ClassedStore store, String id) {
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
