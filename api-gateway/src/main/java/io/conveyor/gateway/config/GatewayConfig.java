package io.conveyor.gateway.config;

import java.time.Duration;

import io.conveyor.amqp.BrokerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the gateway; environment variables map onto these keys in application.properties. */
@ConfigMapping(prefix = "conveyor")
public interface GatewayConfig {

    BrokerConfig broker();

    Publish publish();

    /** Keep the diagnostic task types (noop, sleep, fail); {@code CONVEYOR_DIAGNOSTICS}. */
    @WithDefault("true")
    boolean diagnostics();

    /** Largest accepted request body in bytes; larger bodies get 413. */
    @WithDefault("262144")
    int maxBodyBytes();

    /** The seed document's {@code POST /async-task}: subject and body of the email it sends. */
    Seed seed();

    State state();

    /**
     * Bearer token required by cancel and the dead-letter operations ({@code CONVEYOR_ADMIN_TOKEN}). Unset, they are
     * open and the gateway warns at startup: set it in production.
     */
    java.util.Optional<String> adminToken();

    /** Operator access to the dead letters ({@code conveyor.dead}). */
    DeadLetters deadLetters();

    interface DeadLetters {
        /** Longest wait for each state-store call of a dead-letter operation; {@code CONVEYOR_DEAD_LETTER_STATE_TIMEOUT}. */
        @WithDefault("2S")
        Duration stateTimeout();

        /** Longest wait for the broker's confirm of each replayed task; {@code CONVEYOR_DEAD_LETTER_CONFIRM_TIMEOUT}. */
        @WithDefault("10S")
        Duration confirmTimeout();

        /** Dead letters one operation looks at, at most (oldest first); {@code CONVEYOR_DEAD_LETTER_MAX_SCAN}. */
        @WithDefault("10000")
        int maxScan();
    }

    interface State {
        /** How long a SUCCEEDED or CANCELLED task stays queryable. */
        @WithDefault("P7D")
        Duration retentionFinished();

        /** How long a DEAD task stays queryable. */
        @WithDefault("P30D")
        Duration retentionDead();

        /** How long an idempotency key returns its first answer. */
        @WithDefault("PT24H")
        Duration idempotencyWindow();

        /** Longest {@code ?wait=} a status read may hold. */
        @WithDefault("PT60S")
        Duration maxWait();
    }

    interface Publish {
        /** How long a request waits for the broker's publisher confirm before it gets 503. */
        @WithDefault("5S")
        Duration confirmTimeout();

        /**
         * Channels in confirm mode, used round-robin. Publishes come from the few event-loop threads, so a few
         * channels suffice; each more costs the broker (PerfTest, 64 confirms outstanding on a quorum queue:
         * 13.5k msg/s over 4 channels, 9.9k over 16).
         */
        @WithDefault("4")
        int channels();

        /** Value of {@code Retry-After} on 503 and 429 answers. */
        @WithDefault("5S")
        Duration retryAfter();
    }

    interface Seed {
        @WithDefault("Hello from Conveyor")
        String subject();

        @WithDefault("This email was sent by a Conveyor background task.")
        String body();
    }
}
