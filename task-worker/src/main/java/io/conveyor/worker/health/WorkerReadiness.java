package io.conveyor.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.conveyor.worker.consume.WorkerRuntime;

/**
 * Ready while connected and consuming. Liveness is not tied to the broker: a restart would not help. The data's
 * {@code inFlight} is the deliveries this worker holds unsettled (see {@link WorkerRuntime#unsettled()}).
 */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {

    private final WorkerRuntime runtime;

    public WorkerReadiness(WorkerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq")
                .status(runtime.ready())
                .withData("state", runtime.state())
                .withData("inFlight", runtime.unsettled())
                .build();
    }
}
