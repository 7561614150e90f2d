package io.stupiddb.segments.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.stupiddb.segments.store.DeleteProgress;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.function.ToDoubleFunction;

/**
 * Meters of deletes by filter (SPEC §11), registered once at start-up beside {@link StoreMetrics}:
 * {@code segment_store_documents_deleted_total}, and the reclaiming progress —
 * {@code segment_store_deleted_documents_pending} (deleted documents whose space is not back),
 * {@code segment_store_segments_pending_rewrite}, {@code segment_store_segments_rewritten_total},
 * {@code segment_store_documents_reclaimed_total}. Each scrape reads the store's
 * {@link DeleteProgress}; NaN while the store is closed. Thread-safe.
 */
@ApplicationScoped
public class DeleteMetrics {
    private final MeterRegistry registry;
    private final StoreService service;

    @Inject
    public DeleteMetrics(MeterRegistry registry, StoreService service) {
        this.registry = registry;
        this.service = service;
    }

    void register(@Observes @Priority(20) StartupEvent event) {
        FunctionCounter.builder("segment.store.documents.deleted", this, m -> m.read(DeleteProgress::deletedTotal))
                .description("Documents deleted by filter since start-up")
                .register(registry);
        FunctionCounter.builder("segment.store.segments.rewritten", this, m -> m.read(DeleteProgress::rewrites))
                .description("Segments rewritten without their deleted documents (or evicted as emptied)")
                .register(registry);
        FunctionCounter.builder(
                        "segment.store.documents.reclaimed", this, m -> m.read(DeleteProgress::reclaimedDocuments))
                .description("Deleted documents whose space came back")
                .register(registry);
        Gauge.builder(
                        "segment.store.deleted.documents.pending",
                        this,
                        m -> m.read(p -> p.pending().values().stream()
                                .mapToLong(Integer::longValue)
                                .sum()))
                .description("Deleted documents (hidden) whose segments are not rewritten yet")
                .register(registry);
        Gauge.builder(
                        "segment.store.segments.pending.rewrite",
                        this,
                        m -> m.read(p -> p.pending().size()))
                .description("Segments holding deleted documents, waiting to be rewritten")
                .register(registry);
    }

    private double read(ToDoubleFunction<DeleteProgress> value) {
        if (!service.isOpen()) {
            return Double.NaN;
        }
        return value.applyAsDouble(service.store().deleteProgress());
    }
}
