package io.conveyor.worker.handler.fetch;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetch settings as SmallRye Config maps and Bean Validation checks them: defaults, size syntax, ranges. */
class FetchConfigTest {

    private static final ValidatorFactory validation = Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();

    @AfterAll
    static void close() {
        validation.close();
    }

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
        ConfigValidationException refused =
                assertThrows(ConfigValidationException.class, () -> load(Map.of("conveyor.fetch." + key, value)));

        assertTrue(refused.getMessage().contains("conveyor.fetch." + key), refused.getMessage());
    }

    private static FetchConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(FetchConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .withValidator(new BeanValidationConfigValidator() {
                    @Override
                    public Validator getValidator() {
                        return validation.getValidator();
                    }
                })
                .build()
                .getConfigMapping(FetchConfig.class);
    }
}
