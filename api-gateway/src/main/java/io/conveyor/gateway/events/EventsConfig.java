package io.conveyor.gateway.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Outcome events on the {@code conveyor.events} exchange (README, "Events"); application.properties maps {@code
 * CONVEYOR_EVENTS_ENABLED} onto this key. The gateway publishes CANCELLED only, which is terminal: the workers'
 * {@code CONVEYOR_EVENTS_TRANSITIONS} does not concern it.
 */
@ConfigMapping(prefix = "conveyor.events")
public interface EventsConfig {

    /** Publish events at all. {@code CONVEYOR_EVENTS_ENABLED}, true by default. */
    @WithDefault("true")
    boolean enabled();
}
