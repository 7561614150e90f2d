package io.stupiddb.segments.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.service.cluster.PeerClient;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.ConfigValues;
import io.stupiddb.segments.store.SegmentStore;
import io.stupiddb.segments.store.StoreConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.List;

/**
 * {@code GET /api/v1/store}: this node's retention and disk figures, read-only, for the console
 * (SPEC §13): the retention horizon, free disk against {@code segments.min-free-disk}, and which
 * segments the next retention pass would evict (the same rules as {@code POST /segments/evict}).
 */
@Path("/api/v1/store")
@Produces({ApiMediaTypes.JSON, ApiMediaTypes.MSGPACK})
@Tag(name = "Segments")
public class StoreResource {
    private final StoreService service;
    private final PeerClient peers;

    @Inject
    public StoreResource(StoreService service, PeerClient peers) {
        this.service = service;
        this.peers = peers;
    }

    @GET
    @Operation(
            summary = "Retention and disk figures of this node",
            description = "Read-only, for the console: "
                    + "the retention horizon, free disk against segments.min-free-disk, the store's size against "
                    + "segments.max-total-size, and what POST /api/v1/segments/evict would evict now.")
    @APIResponse(
            responseCode = "200",
            description = "The figures",
            content = {
                @Content(mediaType = ApiMediaTypes.JSON, schema = @Schema(implementation = Store.class)),
                @Content(mediaType = ApiMediaTypes.MSGPACK, schema = @Schema(implementation = Store.class))
            })
    @APIResponse(responseCode = "406", description = "`http-406`: Accept allows neither JSON nor MessagePack")
    @APIResponse(responseCode = "503", description = "`unavailable`: recovering or shutting down")
    public Store store() throws IOException {
        ClassedStore store = service.store();
        StoreConfig config = store.config();
        List<ClassedStore.ClassOutlook> outlooks = store.retentionOutlook();
        SegmentStore.RetentionOutlook outlook = outlooks.getFirst().outlook();
        long now = outlook.now();
        List<ClassedStore.ClassedSegment> segments = store.classedSegments();
        List<Eviction> next = outlooks.stream()
                .flatMap(o -> o.outlook().due().stream())
                .map(d -> new Eviction(d.segmentId(), d.reason().name()))
                .toList();
        long total = segments.stream().mapToLong(s -> s.info().sizeBytes()).sum();
        long free = store.freeDiskBytes();
        List<RetentionClassFigures> classes = outlooks.stream()
                .map(o -> new RetentionClassFigures(
                        o.retentionClass(),
                        ConfigValues.duration(o.config().retention()),
                        o.config().retention().toMillis(),
                        Views.time(o.outlook().horizon()),
                        o.config().maxTotalSize().isPresent()
                                ? o.config().maxTotalSize().getAsLong()
                                : null,
                        segments.stream()
                                .filter(s -> s.retentionClass().equals(o.retentionClass()))
                                .mapToLong(s -> s.info().sizeBytes())
                                .sum()))
                .toList();
        return new Store(
                config.nodeId(),
                Views.time(now),
                ConfigValues.duration(config.retention()),
                config.retention().toMillis(),
                Views.time(outlook.horizon()),
                config.maxTotalSize().isPresent() ? config.maxTotalSize().getAsLong() : null,
                total,
                config.minFreeDisk(),
                free,
                free < config.minFreeDisk(),
                next,
                List.copyOf(peers.peers().all()),
                config.retentionClasses().field(),
                classes);
    }

    /**
     * @param retention        {@code segments.retention} as the settings write it ({@code 30d})
     * @param retentionHorizon now − retention: sealed segments whose maxTimestamp is older go at the next pass
     * @param maxTotalSize     {@code segments.max-total-size} in bytes, null when not set
     * @param totalSize        bytes of all this node's segments
     * @param writesRefused    free disk is below {@code segments.min-free-disk} (writes get 507)
     * @param nextEviction     what {@code POST /segments/evict} would evict now, oldest first
     * @param clusterNodes     node ids of {@code segments.cluster.peers} and this node; just this node's alone
     * @param retentionClassField {@code segments.retention-class-field}
     * @param retentionClasses each retention class's figures, {@code default} (the top-level figures) first
     */
    @RegisterForReflection
    record Store(
            int nodeId,
            String now,
            String retention,
            long retentionMillis,
            String retentionHorizon,
            Long maxTotalSize,
            long totalSize,
            long minFreeDisk,
            long freeDisk,
            boolean writesRefused,
            List<Eviction> nextEviction,
            List<Integer> clusterNodes,
            String retentionClassField,
            List<RetentionClassFigures> retentionClasses) {}

    /**
     * One retention class's settings and size ({@code segments.retention-classes}).
     *
     * @param name             the class; {@code default} for documents that name none
     * @param retentionHorizon now − the class's retention
     * @param maxTotalSize     the class's size cap in bytes, null when it has none
     * @param totalSize        bytes of the class's segments
     */
    @RegisterForReflection
    record RetentionClassFigures(
            String name,
            String retention,
            long retentionMillis,
            String retentionHorizon,
            Long maxTotalSize,
            long totalSize) {}

    @RegisterForReflection
    record Eviction(String segment, String reason) {}
}
