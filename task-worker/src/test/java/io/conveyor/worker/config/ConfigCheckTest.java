package io.conveyor.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.conveyor.config.ConfigLimits;
import io.conveyor.model.query.QueryCatalogue;
import io.conveyor.model.query.QueryDefinition;
import io.conveyor.worker.handler.sendemail.EmailConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's settings as SmallRye Config maps them: limits and the pairs that contradict each other. */
class ConfigCheckTest {

    @Test
    void theDefaultsBreakNothing() {
        WorkerConfig config = load(Map.of());

        assertEquals(
                List.of(),
                ConfigLimits.violations("conveyor", WorkerConfig.class, config, ConfigLimits::environmentVariable));
        assertEquals(List.of(), ConfigCheck.contradictions(config, ConfigLimits::environmentVariable));
    }

    @Test
    void aWorkerThatRunsQueriesNeedsADatabaseOnlyWhenQueriesAreDefined() {
        QueryCatalogue none = QueryCatalogue.empty();
        QueryCatalogue some = QueryCatalogue.of(List.of(new QueryDefinition("q", "", "SELECT 1", Map.of())));
        WorkerConfig all = load(Map.of());
        WorkerConfig mailOnly = load(Map.of("conveyor.worker.types", "send_email"));

        assertEquals(List.of(), ConfigCheck.database(all, none, false));
        assertEquals(List.of(), ConfigCheck.database(all, some, true));
        assertEquals(List.of(), ConfigCheck.database(mailOnly, some, false));
        List<String> broken = ConfigCheck.database(all, some, false);
        assertEquals(1, broken.size());
        assertTrue(
                broken.get(0).startsWith("quarkus.datasource.jdbc.url (CONVEYOR_DB_URL) is not set, but 1 queries"),
                broken.get(0));
    }

    @Test
    void refusesASettleTimeoutThatDoesNotCoverTwoStateWrites() {
        WorkerConfig config =
                load(Map.of("conveyor.state.write-timeout", "3S", "conveyor.worker.settle-timeout", "5S"));

        List<String> broken = ConfigCheck.contradictions(config, ConfigLimits::environmentVariable);

        assertEquals(1, broken.size(), broken.toString());
        assertTrue(
                broken.get(0)
                        .startsWith("conveyor.worker.settle-timeout (CONVEYOR_WORKER_SETTLE_TIMEOUT) must be "
                                + "longer than twice conveyor.state.write-timeout"),
                broken.get(0));
    }

    @Test
    void refusesABackoffCapBelowItsBase() {
        WorkerConfig config = load(Map.of("conveyor.retry.base", "PT10S", "conveyor.retry.cap", "PT5S"));

        List<String> broken = ConfigCheck.contradictions(config, ConfigLimits::environmentVariable);

        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).startsWith("conveyor.retry.cap (CONVEYOR_RETRY_CAP) must be at least"), broken.get(0));
    }

    @Test
    void refusesZeroConcurrencyAndAZeroRetryConfirmTimeout() {
        WorkerConfig config =
                load(Map.of("conveyor.worker.concurrency", "0", "conveyor.retry.confirm-timeout", "PT0S"));

        List<String> broken =
                ConfigLimits.violations("conveyor", WorkerConfig.class, config, ConfigLimits::environmentVariable);

        assertEquals(
                List.of(
                        "conveyor.retry.confirm-timeout (CONVEYOR_RETRY_CONFIRM_TIMEOUT) must be at least PT0.001S, "
                                + "was PT0S",
                        "conveyor.worker.concurrency (CONVEYOR_WORKER_CONCURRENCY) must be at least 1, was 0"),
                broken);
    }

    @Test
    void keepsTheHeartbeatIntervalBetweenASecondAndAMinute() {
        Function<String, String> variables = ConfigLimits::environmentVariable;

        assertEquals(List.of(), ConfigCheck.heartbeat(load(Map.of()), variables), "the default PT5S");
        assertEquals(
                List.of(), ConfigCheck.heartbeat(load(Map.of("conveyor.worker.heartbeat-interval", "60S")), variables));
        assertEquals(
                List.of("conveyor.worker.heartbeat-interval (CONVEYOR_WORKER_HEARTBEAT_INTERVAL) must be at most "
                        + "PT1M, was PT1M1S"),
                ConfigCheck.heartbeat(load(Map.of("conveyor.worker.heartbeat-interval", "61S")), variables));
        assertEquals(
                List.of("conveyor.worker.heartbeat-interval (CONVEYOR_WORKER_HEARTBEAT_INTERVAL) must be at least "
                        + "PT1S, was PT0.5S"),
                ConfigLimits.violations(
                        "conveyor",
                        WorkerConfig.class,
                        load(Map.of("conveyor.worker.heartbeat-interval", "PT0.5S")),
                        variables));
    }

    @Test
    void refusesATemplateDirectoryThatIsNone(@TempDir Path dir) {
        Function<String, String> variables = ConfigLimits::environmentVariable;

        assertEquals(List.of(), ConfigCheck.missingTemplates(email(Map.of()), variables), "none is fine");
        assertEquals(
                List.of(),
                ConfigCheck.missingTemplates(email(Map.of("conveyor.email.templates-dir", dir.toString())), variables));
        List<String> broken = ConfigCheck.missingTemplates(
                email(Map.of("conveyor.email.templates-dir", dir.resolve("nope").toString())), variables);

        assertEquals(
                List.of("conveyor.email.templates-dir (CONVEYOR_EMAIL_TEMPLATES_DIR) is not a directory: "
                        + dir.resolve("nope")),
                broken);
    }

    private static EmailConfig email(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(EmailConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(EmailConfig.class);
    }

    private static WorkerConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(WorkerConfig.class)
                // Quarkus reads "3S" as well as "PT3S"; plain SmallRye Config needs its converter for that.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(WorkerConfig.class);
    }
}
