package io.stupiddb.segments.service.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the process serves HTTP. A full disk or a corrupt file makes the pod unready,
 * never dead: restarting would not fix either and would interrupt reads.
 */
@Liveness
@ApplicationScoped
public class StoreLiveness implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("segment-store-alive");
    }
}
