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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.core.Context;

import java.io.IOException;
import java.util.List;

/**
 * {@code /api/v1/events}: the lifecycle journal (SPEC §5) paged by {@code seq}, and the same as
 * Server-Sent Events resuming after {@code Last-Event-ID}: journal first, then live events.
 */
@Path("/api/v1/events")
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
    public Views.Events events(@QueryParam("after") String after, @QueryParam("limit") String limit)
            throws IOException {
        long afterSeq = Parameters.seq(after, "after");
        int max = Parameters.limit(limit).orElse(Parameters.DEFAULT_LIMIT);
        List<LifecycleEvent> events = service.store().journal().eventsAfter(afterSeq, max);
        long next = events.isEmpty() ? afterSeq : events.getLast().seq();
        return new Views.Events(events.stream().map(Views.Event::of).toList(), next);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId,
                                          @QueryParam("after") String after, @Context Sse sse) {
        long start = Parameters.seq(Parameters.absent(lastEventId) ? after : lastEventId, "Last-Event-ID");
        return feed.after(start).map(event -> sse.newEventBuilder().id(Long.toString(event.seq()))
                .name(event.type().name()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(Views.Event.class, Views.Event.of(event)).build());
    }
}
