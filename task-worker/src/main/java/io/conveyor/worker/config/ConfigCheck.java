package io.conveyor.worker.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.conveyor.config.ConfigLimits;
import io.conveyor.worker.handler.fetch.FetchConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a worker with a setting outside the limits its mapping declares, naming each key and variable;
 * runs before every other startup step, so no component sees such a value.
 */
@ApplicationScoped
public class ConfigCheck {

    void check(@Observes @Priority(1) StartupEvent event, WorkerConfig worker, FetchConfig fetch) {
        ConfigLimits.check("conveyor", WorkerConfig.class, worker);
        ConfigLimits.check("conveyor.fetch", FetchConfig.class, fetch);
    }
}
