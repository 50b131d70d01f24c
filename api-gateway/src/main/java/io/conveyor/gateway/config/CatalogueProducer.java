package io.conveyor.gateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.conveyor.model.TaskCatalogue;

/** The task types this gateway accepts: the whole catalogue, less diagnostics when they are switched off. */
@ApplicationScoped
public class CatalogueProducer {

    @Produces
    @ApplicationScoped
    TaskCatalogue catalogue(GatewayConfig config) {
        return TaskCatalogue.load().withDiagnostics(config.diagnostics());
    }
}
