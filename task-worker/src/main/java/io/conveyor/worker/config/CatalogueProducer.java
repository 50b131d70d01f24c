package io.conveyor.worker.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.conveyor.model.TaskCatalogue;

/** The whole catalogue; which types this worker consumes is the registry's business. */
@ApplicationScoped
public class CatalogueProducer {

    @Produces
    @ApplicationScoped
    TaskCatalogue catalogue() {
        return TaskCatalogue.load();
    }
}
