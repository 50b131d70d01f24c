package io.conveyor.worker.handler.fetch;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.conveyor.config.ConfigLimits;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetch settings as SmallRye Config maps them and ConfigLimits checks them: defaults, size syntax, ranges. */
class FetchConfigTest {

    @Test
    void defaultsToPublicAddressesOnlyTwentyMebibytesAndThirtySeconds() {
        FetchConfig config = load(Map.of());

        assertFalse(config.allowPrivate());
        assertEquals(20L << 20, config.maxBytes());
        assertEquals(Duration.ofSeconds(30), config.timeout());
    }

    @Test
    void readsTheByteCapAsAMemorySize() {
        assertEquals(
                512L << 10, load(Map.of("conveyor.fetch.max-bytes", "512K")).maxBytes());
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({"max-bytes, 0", "max-bytes, 2G", "timeout, PT0S", "timeout, -PT1S"})
    void refusesAValueOutOfRange(String key, String value) {
        FetchConfig config = load(Map.of("conveyor.fetch." + key, value));

        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ConfigLimits.refuseAny(ConfigLimits.violations(
                        "conveyor.fetch", FetchConfig.class, config, ConfigLimits::environmentVariable)));

        assertTrue(refused.getMessage().contains("conveyor.fetch." + key), refused.getMessage());
    }

    private static FetchConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(FetchConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(FetchConfig.class);
    }
}
