package io.conveyor.worker.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Outcome events on the {@code conveyor.events} exchange (README, "Events"); application.properties maps the
 * {@code CONVEYOR_EVENTS_*} variables onto these keys.
 */
@ConfigMapping(prefix = "conveyor.events")
public interface EventsConfig {

    /** Publish events at all. {@code CONVEYOR_EVENTS_ENABLED}, true by default. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Also publish the moves that are not terminal: RUNNING when an attempt starts, RETRY_SCHEDULED when it failed
     * and will be retried. {@code CONVEYOR_EVENTS_TRANSITIONS}, false by default.
     */
    @WithDefault("false")
    boolean transitions();
}
