package io.stupiddb.segments.service.health;

import io.stupiddb.segments.service.StoreService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once recovery of the data directory is done (the startup probe waits for this). */
@Startup
@ApplicationScoped
public class StoreStarted implements HealthCheck {
    private final StoreService service;

    @Inject
    public StoreStarted(StoreService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("segment-store-recovered")
                .status(service.isOpen())
                .build();
    }
}
