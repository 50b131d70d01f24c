package io.conveyor.gateway.quota;

import java.time.Duration;

import io.conveyor.config.NoShorterThan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-client quotas; application.properties maps {@code CONVEYOR_CLIENT_RATE} and {@code CONVEYOR_QUOTA_TIMEOUT}
 * onto these keys. A mapping of its own, not a group of the gateway's: the config package checks it at startup,
 * so this package must not depend on that one.
 */
@ConfigMapping(prefix = "conveyor.quota")
public interface QuotaConfig {

    /**
     * The rate of a client that names none of its own, as {@link Rate} reads it ({@code CONVEYOR_CLIENT_RATE}); an
     * unreadable value stops the gateway at startup.
     */
    @WithDefault("200/s")
    String defaultRate();

    /**
     * Longest wait for Redis's answer to a quota check ({@code CONVEYOR_QUOTA_TIMEOUT}); without one in time the
     * request is let through.
     */
    @WithDefault("250ms")
    @NoShorterThan("PT0.001S")
    Duration timeout();
}
