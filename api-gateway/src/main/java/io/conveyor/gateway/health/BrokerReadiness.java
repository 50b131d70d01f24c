package io.conveyor.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.conveyor.gateway.publish.Broker;

/** Ready only while tasks can be published and confirmed. Liveness is not tied to the broker: a restart would not help. */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    private final Broker broker;

    public BrokerReadiness(Broker broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rabbitmq")
                .status(broker.ready())
                .withData("state", broker.state())
                .build();
    }
}
