package io.conveyor.gateway.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.conveyor.config.ConfigLimits;
import io.conveyor.model.TaskCatalogue;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a gateway with a setting outside the limits {@link GatewayConfig} declares, or a queue limit
 * override for a type it does not offer ({@link QueueMaxLengths}), naming each key and variable; runs before every other
 * startup step, so no component sees such a value.
 */
@ApplicationScoped
public class ConfigCheck {

    void check(
            @Observes @Priority(1) StartupEvent event, Config config, GatewayConfig gateway, TaskCatalogue catalogue) {
        ConfigLimits.check(config, "conveyor", GatewayConfig.class, gateway);
        QueueMaxLengths.check(gateway, catalogue, config);
    }
}
