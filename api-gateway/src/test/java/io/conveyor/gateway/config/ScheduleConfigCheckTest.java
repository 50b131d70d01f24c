package io.conveyor.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.conveyor.config.ConfigLimits;
import io.conveyor.gateway.events.EventsConfig;
import io.conveyor.gateway.quota.QuotaConfig;
import io.conveyor.gateway.webhook.WebhookSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The schedules' settings as application.properties binds them, and the lease the startup check refuses. */
class ScheduleConfigCheckTest {

    @Test
    void theDefaultsPollAQuarterSecondWithAFifteenSecondLease() {
        SmallRyeConfig config = load(Map.of());
        GatewayConfig.Schedules schedules =
                config.getConfigMapping(GatewayConfig.class).schedules();

        assertEquals(Duration.ofMillis(250), schedules.poll());
        assertEquals(Duration.ofSeconds(15), schedules.lease());
        assertEquals(Duration.ofSeconds(10), schedules.grace());
        assertEquals(List.of(), broken(config));
    }

    @Test
    void aLeaseNoLongerThanTheConfirmTimeoutIsRefused() {
        SmallRyeConfig config = load(Map.of("CONVEYOR_SCHEDULES_LEASE", "5S"));

        assertEquals(
                List.of("conveyor.schedules.lease (CONVEYOR_SCHEDULES_LEASE) must be longer than "
                        + "conveyor.publish.confirm-timeout (CONVEYOR_CONFIRM_TIMEOUT), was PT5S"),
                broken(config));
    }

    @Test
    void aPollBelowTenMillisecondsIsRefused() {
        SmallRyeConfig config = load(Map.of("CONVEYOR_SCHEDULES_POLL", "1ms"));
        GatewayConfig gateway = config.getConfigMapping(GatewayConfig.class);

        assertEquals(
                List.of("conveyor.schedules.poll (CONVEYOR_SCHEDULES_POLL) must be at least PT0.01S, was PT0.001S"),
                ConfigLimits.violations(
                        "conveyor", GatewayConfig.class, gateway, key -> ConfigLimits.variableOf(config, key)));
    }

    private static List<String> broken(SmallRyeConfig config) {
        return ConfigCheck.shortLease(
                config.getConfigMapping(GatewayConfig.class), key -> ConfigLimits.variableOf(config, key));
    }

    /** The gateway's application.properties, with {@code environment} as the environment variables. */
    private static SmallRyeConfig load(Map<String, String> environment) {
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withMapping(GatewayConfig.class)
                    .withMapping(QuotaConfig.class)
                    .withMapping(EventsConfig.class)
                    .withMapping(WebhookSettings.class)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withSources(new PropertiesConfigSource(
                            ScheduleConfigCheckTest.class.getResource("/application.properties"), 100))
                    .withSources(new PropertiesConfigSource(environment, "environment", 300))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
