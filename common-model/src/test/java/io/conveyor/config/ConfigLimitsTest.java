package io.conveyor.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLimitsTest {

    interface Sample {
        @AtLeast(1)
        int concurrency();

        @AtLeast(1)
        @AtMost(65_535)
        OptionalInt prefetch();

        @NoShorterThan("PT0.001S")
        Duration writeTimeout();

        /** Not limited: never reported. */
        Map<String, Duration> timeouts();

        Retry retry();

        interface Retry {
            @NoShorterThan("PT0S")
            @WithName("margin")
            Duration waitMargin();

            @AtMost(10)
            long channels();
        }
    }

    record SampleConfig(
            int concurrency, OptionalInt prefetch, Duration writeTimeout, Map<String, Duration> timeouts, Retry retry)
            implements Sample {}

    record RetryConfig(Duration waitMargin, long channels) implements Sample.Retry {}

    private static Sample sample(int concurrency, OptionalInt prefetch, Duration write, Duration margin, long ch) {
        return new SampleConfig(concurrency, prefetch, write, Map.of(), new RetryConfig(margin, ch));
    }

    static List<Arguments> cases() {
        Duration ms = Duration.ofMillis(1);
        return List.of(
                Arguments.of(sample(8, OptionalInt.empty(), ms, Duration.ZERO, 2), List.of()),
                Arguments.of(sample(1, OptionalInt.of(65_535), ms, Duration.ZERO, 10), List.of()),
                Arguments.of(
                        sample(0, OptionalInt.empty(), ms, Duration.ZERO, 2),
                        List.of("app.concurrency (APP_CONCURRENCY) must be at least 1, was 0")),
                Arguments.of(
                        sample(8, OptionalInt.of(70_000), ms, Duration.ZERO, 2),
                        List.of("app.prefetch (APP_PREFETCH) must be at most 65535, was 70000")),
                Arguments.of(
                        sample(8, OptionalInt.empty(), Duration.ZERO, Duration.ZERO, 2),
                        List.of("app.write-timeout (APP_WRITE_TIMEOUT) must be at least PT0.001S, was PT0S")),
                Arguments.of(
                        sample(8, OptionalInt.empty(), ms, Duration.ofSeconds(-1), 11),
                        List.of(
                                "app.retry.channels (APP_RETRY_CHANNELS) must be at most 10, was 11",
                                "app.retry.margin (APP_RETRY_MARGIN) must be at least PT0S, was PT-1S")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reportsEveryBrokenLimitByKeyAndVariable(Sample config, List<String> expected) {
        assertEquals(expected, ConfigLimits.violations("app", Sample.class, config, ConfigLimits::environmentVariable));
    }

    @Test
    void namesTheVariableThePropertyExpressionReadsElseTheDerivedOne() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(
                        Map.of("app.state.max-wait", "${APP_MAX_WAIT:PT60S}", "app.concurrency", "8"), "test", 100))
                .build();

        assertEquals("APP_MAX_WAIT", ConfigLimits.variableOf(config, "app.state.max-wait"));
        assertEquals("APP_CONCURRENCY", ConfigLimits.variableOf(config, "app.concurrency"));
        assertEquals("APP_RETRY_MARGIN", ConfigLimits.variableOf(config, "app.retry.margin"));
    }

    @Test
    void checkRefusesWithEveryBrokenLimitInOneMessage() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().build();
        Sample broken = sample(0, OptionalInt.of(70_000), Duration.ofMillis(1), Duration.ZERO, 2);

        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> ConfigLimits.check(config, "app", Sample.class, broken));

        assertTrue(refused.getMessage().startsWith("Invalid configuration: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("app.concurrency (APP_CONCURRENCY) must be at least 1, was 0"));
        assertTrue(refused.getMessage().contains("app.prefetch (APP_PREFETCH) must be at most 65535, was 70000"));
    }
}
