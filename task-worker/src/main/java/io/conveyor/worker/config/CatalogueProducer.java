package io.conveyor.worker.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.Config;

import io.conveyor.model.TaskCatalogue;
import io.conveyor.model.query.QueryCatalogue;

/**
 * The whole catalogue; which types this worker consumes is the registry's business. Also the deployment's queries
 * ({@code db_query}, {@code generate_report}), the same definitions the gateway reads.
 */
@ApplicationScoped
public class CatalogueProducer {

    @Produces
    @ApplicationScoped
    TaskCatalogue catalogue() {
        return TaskCatalogue.load();
    }

    @Produces
    @ApplicationScoped
    QueryCatalogue queries(Config config) {
        return QueryCatalogue.fromConfig(config);
    }
}
