package io.conveyor.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.conveyor.config.ConfigLimits;
import io.conveyor.gateway.quota.QuotaConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quota settings as the gateway's application.properties binds them, and what the startup check refuses. */
class QuotaConfigCheckTest {

    @Test
    void theDefaultsAreTwoHundredPerSecondAndAQuarterSecond() {
        SmallRyeConfig config = load(Map.of());
        QuotaConfig quota = config.getConfigMapping(QuotaConfig.class);

        assertEquals("200/s", quota.defaultRate());
        assertEquals(Duration.ofMillis(250), quota.timeout());
        assertEquals(List.of(), broken(config));
    }

    @Test
    void anUnreadableClientRateIsRefusedNamingItsVariable() {
        SmallRyeConfig config = load(Map.of("CONVEYOR_CLIENT_RATE", "fast"));

        assertEquals(
                List.of("conveyor.quota.default-rate (CONVEYOR_CLIENT_RATE) must be a positive whole number of "
                        + "requests per second or per minute, at most 1000000000: 200/s, 200 (per second) or 12/m, "
                        + "was \"fast\""),
                broken(config));
    }

    @Test
    void aZeroTimeoutIsRefused() {
        SmallRyeConfig config = load(Map.of("CONVEYOR_QUOTA_TIMEOUT", "0S", "CONVEYOR_CLIENT_RATE", "12/m"));

        assertEquals(
                List.of("conveyor.quota.timeout (CONVEYOR_QUOTA_TIMEOUT) must be at least PT0.001S, was PT0S"),
                broken(config));
    }

    private static List<String> broken(SmallRyeConfig config) {
        QuotaConfig quota = config.getConfigMapping(QuotaConfig.class);
        List<String> broken = new ArrayList<>(ConfigLimits.violations(
                "conveyor.quota", QuotaConfig.class, quota, key -> ConfigLimits.variableOf(config, key)));
        broken.addAll(ConfigCheck.unreadableRates(quota, key -> ConfigLimits.variableOf(config, key)));
        return broken;
    }

    /** The gateway's application.properties, with {@code environment} as the environment variables. */
    private static SmallRyeConfig load(Map<String, String> environment) {
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withMapping(QuotaConfig.class)
                    // Quarkus reads "250ms" as well as "PT0.25S"; plain SmallRye Config needs its converter for that.
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withSources(new PropertiesConfigSource(
                            QuotaConfigCheckTest.class.getResource("/application.properties"), 100))
                    .withSources(new PropertiesConfigSource(environment, "environment", 300))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
