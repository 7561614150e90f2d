package io.stupiddb.segments.service.health;

import io.stupiddb.segments.service.StoreService;
import io.stupiddb.segments.store.ClassedStore;
import io.stupiddb.segments.store.ConfigValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Ready when the store is open, its data directory is writable and free disk is above
 * {@code segments.min-free-disk}. Says why when it is not, and lists quarantined files.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    private final StoreService service;

    @Inject
    public StoreReadiness(StoreService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("segment-store");
        if (!service.isOpen()) {
            return response.down()
                    .withData("reason", "the segment store is recovering or shutting down")
                    .build();
        }
        ClassedStore store = service.store();
        Path dir = store.config().dataDir();
        response.withData("dataDir", dir.toAbsolutePath().toString());
        response.withData("segments", store.segments().size());
        response.withData("quarantined", String.join("; ", store.quarantined()));
        // An unreachable object store is a detail, not DOWN: writes and local reads go on, uploads retry.
        store.coldTier()
                .ifPresent(cold -> response.withData(
                        "archiveUploads",
                        cold.problem()
                                .map(problem -> "failing (retrying with backoff; local segments stay): " + problem)
                                .orElse("ok")));
        // Damaged records make their documents unreadable but the pod still serves the rest: data, not DOWN.
        Map<String, Integer> damaged = store.damagedRecordCounts();
        if (!damaged.isEmpty()) {
            response.withData(
                    "damagedRecords",
                    damaged.entrySet().stream()
                            .map(e -> e.getKey() + ": " + e.getValue())
                            .collect(Collectors.joining("; ")));
        }
        boolean up = true;
        if (!writable(dir)) {
            up = false;
            response.withData("reason", "data directory is not writable");
        }
        try {
            long free = store.freeDiskBytes();
            response.withData("freeDiskBytes", free);
            if (free < store.config().minFreeDisk()) {
                up = false;
                response.withData(
                        "reason",
                        "free disk below segments.min-free-disk ("
                                + ConfigValues.size(store.config().minFreeDisk()) + ")");
            }
        } catch (IOException e) {
            up = false;
            response.withData("reason", "cannot read free disk: " + e.getMessage());
        }
        return response.status(up).build();
    }

    /** Creates and deletes a probe file: permission bits alone miss read-only mounts. */
    private static boolean writable(Path dir) {
        try {
            Path probe = Files.createTempFile(dir, ".ready-", ".probe");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
