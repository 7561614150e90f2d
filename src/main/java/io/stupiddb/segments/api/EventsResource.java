package io.stupiddb.segments.api;

import io.smallrye.mutiny.Multi;
import io.stupiddb.segments.journal.LifecycleEvent;
import io.stupiddb.segments.journal.LifecycleJournal;
import io.stupiddb.segments.journal.LifecycleListener;
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
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code /api/v1/events}: the lifecycle journal (SPEC §5) paged by {@code seq}, and the same as
 * Server-Sent Events resuming after {@code Last-Event-ID}: journal first, then live events.
 */
@Path("/api/v1/events")
public class EventsResource {
    private final StoreService service;

    @Inject
    public EventsResource(StoreService service) {
        this.service = service;
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
        LifecycleJournal journal = service.store().journal();
        return Multi.createFrom().<LifecycleEvent>emitter(emitter -> {
            // Subscribe first, then replay: an event appended in between arrives twice and the
            // seq filter drops the copy, so nothing is missed and nothing repeats.
            long[] delivered = {start};
            Object order = new Object();
            LifecycleListener live = event -> {
                synchronized (order) {
                    if (event.seq() > delivered[0]) {
                        delivered[0] = event.seq();
                        emitter.emit(event);
                    }
                }
            };
            journal.addListener(live);
            emitter.onTermination(() -> journal.removeListener(live));
            try {
                while (true) {
                    List<LifecycleEvent> page;
                    synchronized (order) {
                        page = journal.eventsAfter(delivered[0], 1000);
                        for (LifecycleEvent event : page) {
                            if (event.seq() > delivered[0]) {
                                delivered[0] = event.seq();
                                emitter.emit(event);
                            }
                        }
                    }
                    if (page.isEmpty()) {
                        break;
                    }
                }
            } catch (IOException e) {
                emitter.fail(new UncheckedIOException(e));
            }
        }).map(event -> sse.newEventBuilder().id(Long.toString(event.seq())).name(event.type().name())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(Views.Event.class, Views.Event.of(event)).build());
    }
}
