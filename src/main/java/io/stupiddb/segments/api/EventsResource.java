package io.stupiddb.segments.api;

import io.smallrye.mutiny.Multi;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.service.EventFeed;
import io.stupiddb.segments.service.StoreService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
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

/**
 * {@code /api/v1/events}: the lifecycle journal (SPEC §5) paged by {@code seq}, and the same as
 * Server-Sent Events resuming after {@code Last-Event-ID}: journal first, then live events.
 */
@Path("/api/v1/events")
@Tag(name = "Events")
public class EventsResource {
    private final StoreService service;
    private final EventFeed feed;

    @Inject
    public EventsResource(StoreService service, EventFeed feed) {
        this.service = service;
        this.feed = feed;
    }

    @GET
    @Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK})
    @Operation(
            summary = "Read the lifecycle journal",
            description = "This node's events after a seq, oldest "
                    + "first. Ask again with after=next until events is empty (a page can be shorter than limit while "
                    + "more exist). Events are kept until retention + max clock skew + 1 day.")
    @Parameter(
            name = "after",
            in = ParameterIn.QUERY,
            description = "Events with a greater seq; default 0, the " + "oldest kept",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
    @Parameter(
            name = "limit",
            in = ParameterIn.QUERY,
            description = "At most this many, 1-10000; default 100",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000"))
    @APIResponse(
            responseCode = "200",
            description = "The events; next is the last seq returned, or after when " + "none",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Views.Events.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Views.Events.class))
            })
    @APIResponse(responseCode = "400", description = "`invalid-parameter`: after or limit")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows neither JSON nor MessagePack")
    public Views.Events events(@QueryParam("after") String after, @QueryParam("limit") String limit)
            throws IOException {
        long afterSeq = Parameters.seq(after, "after");
        int max = Parameters.limit(limit).orElse(Parameters.DEFAULT_LIMIT);
        List<LifecycleEvent> events = service.store().journal().eventsAfter(afterSeq, max);
        long next = events.isEmpty() ? afterSeq : events.getLast().seq();
        return new Views.Events(
                events.stream().map(Views.Event::of).toList(),
                next,
                service.store().journal().epoch());
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            summary = "Follow the lifecycle journal as Server-Sent Events",
            description = "Every kept event "
                    + "after the start, then each new one as it is journaled, none missed or repeated. Each SSE event: "
                    + "id = seq, event = type, data = the Event as JSON; EventSource resumes with Last-Event-ID.")
    @Parameter(
            name = "Last-Event-ID",
            in = ParameterIn.HEADER,
            description = "Start after this seq (sent by " + "EventSource on reconnect); wins over after",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
    @Parameter(
            name = "after",
            in = ParameterIn.QUERY,
            description = "Start after this seq on the first " + "connection; default 0",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
    @APIResponse(
            responseCode = "200",
            description = "The event stream",
            content =
                    @Content(
                            mediaType = MediaType.SERVER_SENT_EVENTS,
                            schema = @Schema(type = SchemaType.STRING),
                            example =
                                    "id:2\nevent:SEGMENT_EVICTED\ndata:{\"seq\":2,\"type\":\"SEGMENT_EVICTED\",...}\n\n"))
    @APIResponse(responseCode = "400", description = "`invalid-parameter`: Last-Event-ID or after")
    @APIResponse(responseCode = "406", description = "`http-406`: Accept does not allow text/event-stream")
    public Multi<OutboundSseEvent> stream(
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") String after, @Context Sse sse) {
        long start = Parameters.seq(Parameters.absent(lastEventId) ? after : lastEventId, "Last-Event-ID");
        return feed.after(start)
                .map(event -> sse.newEventBuilder()
                        .id(Long.toString(event.seq()))
                        .name(event.type().name())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(Views.Event.class, Views.Event.of(event))
                        .build());
    }
}
