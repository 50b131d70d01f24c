package io.conveyor.worker.config;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.conveyor.config.ConfigLimits;
import io.conveyor.model.query.QueryCatalogue;
import io.conveyor.worker.handler.fetch.FetchConfig;
import io.conveyor.worker.handler.sendemail.EmailConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a worker with a setting outside the limits its mappings declare, or with two settings that
 * contradict each other, naming each key and variable; runs before every other startup step, so no component sees
 * such a value.
 */
@ApplicationScoped
public class ConfigCheck {

    void check(
            @Observes @Priority(1) StartupEvent event,
            Config config,
            WorkerConfig worker,
            FetchConfig fetch,
            EmailConfig email,
            QueryCatalogue queries) {
        Function<String, String> variables = key -> ConfigLimits.variableOf(config, key);
        List<String> broken =
                new ArrayList<>(ConfigLimits.violations("conveyor", WorkerConfig.class, worker, variables));
        broken.addAll(ConfigLimits.violations("conveyor.fetch", FetchConfig.class, fetch, variables));
        broken.addAll(ConfigLimits.violations("conveyor.email", EmailConfig.class, email, variables));
        broken.addAll(missingTemplates(email, variables));
        broken.addAll(contradictions(worker, variables));
        broken.addAll(heartbeat(worker, variables));
        broken.addAll(database(
                worker, queries, config.getOptionalValue(DB_URL, String.class).isPresent()));
        ConfigLimits.refuseAny(broken);
    }

    /** A template directory that is not one: a deployment mistake that would fail every templated email. */
    static List<String> missingTemplates(EmailConfig config, Function<String, String> variables) {
        return config.templatesDir()
                .filter(dir -> !Files.isDirectory(dir))
                .map(dir -> List.of("conveyor.email.templates-dir (" + variables.apply("conveyor.email.templates-dir")
                        + ") is not a directory: " + dir.toAbsolutePath()))
                .orElse(List.of());
    }

    static final String DB_URL = "quarkus.datasource.jdbc.url";

    /** Queries are defined (so db_query tasks will come) and this worker runs them, but it has no database. */
    static List<String> database(WorkerConfig config, QueryCatalogue queries, boolean hasDatabase) {
        List<String> wanted = config.worker().types();
        boolean runsQueries =
                ConsumedTypes.includes(wanted, "db_query") || ConsumedTypes.includes(wanted, "generate_report");
        if (!queries.isEmpty() && runsQueries && !hasDatabase) {
            return List.of(DB_URL + " (CONVEYOR_DB_URL) is not set, but "
                    + queries.names().size()
                    + " queries are defined " + queries.names() + " and this worker runs db_query: set it to a JDBC"
                    + " URL such as jdbc:postgresql://db:5432/app");
        }
        return List.of();
    }

    /** A heartbeat interval too long: the annotations declare lower limits only. */
    static List<String> heartbeat(WorkerConfig config, Function<String, String> variables) {
        Duration interval = config.worker().heartbeatInterval();
        if (interval.compareTo(WorkerConfig.Worker.MAX_HEARTBEAT_INTERVAL) <= 0) {
            return List.of();
        }
        return List.of("conveyor.worker.heartbeat-interval (" + variables.apply("conveyor.worker.heartbeat-interval")
                + ") must be at most " + WorkerConfig.Worker.MAX_HEARTBEAT_INTERVAL + ", was " + interval);
    }

    /** Pairs of settings that are each in range but cannot work together. */
    static List<String> contradictions(WorkerConfig config, Function<String, String> variables) {
        List<String> broken = new ArrayList<>();
        // A success may wait for the state batch ahead of its own, then for its own, before its ack is due.
        if (config.worker()
                        .settleTimeout()
                        .compareTo(config.state().writeTimeout().multipliedBy(2))
                <= 0) {
            broken.add("conveyor.worker.settle-timeout (" + variables.apply("conveyor.worker.settle-timeout")
                    + ") must be longer than twice conveyor.state.write-timeout ("
                    + variables.apply("conveyor.state.write-timeout") + "), was "
                    + config.worker().settleTimeout() + " against "
                    + config.state().writeTimeout());
        }
        if (config.retry().cap().compareTo(config.retry().base()) < 0) {
            broken.add("conveyor.retry.cap (" + variables.apply("conveyor.retry.cap")
                    + ") must be at least conveyor.retry.base (" + variables.apply("conveyor.retry.base") + "), was "
                    + config.retry().cap() + " against " + config.retry().base());
        }
        return broken;
    }
}
