package io.conveyor.gateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.Config;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.query.QueryCatalogue;

/**
 * The task types this gateway accepts: the whole catalogue, less diagnostics when they are switched off. Also the
 * deployment's queries, which {@code db_query} and {@code generate_report} requests name: the same definitions the
 * workers read, so an unknown name or a wrong parameter is refused before a task is accepted.
 */
@ApplicationScoped
public class CatalogueProducer {

    @Produces
    @ApplicationScoped
    TaskCatalogue catalogue(GatewayConfig config) {
        return TaskCatalogue.load().withDiagnostics(config.diagnostics());
    }

    @Produces
    @ApplicationScoped
    QueryCatalogue queries(Config config) {
        return QueryCatalogue.fromConfig(config);
    }
}
