package io.conveyor.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.conveyor.amqp.BrokerConfig;
import io.conveyor.config.AtLeast;
import io.conveyor.config.AtMost;
import io.conveyor.config.NoShorterThan;
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
    @AtLeast(1)
    int maxBodyBytes();

    /** The seed document's {@code POST /async-task}: subject and body of the email it sends. */
    Seed seed();

    State state();

    /**
     * One operator key, a shortcut beside the keys file ({@code CONVEYOR_ADMIN_TOKEN}): sent as
     * {@code Authorization: Bearer <token>}, it acts as the client {@code admin} with every role.
     */
    Optional<String> adminToken();

    /** API keys, protected mode and who may read metrics and the OpenAPI document. */
    Security security();

    interface Security {
        /**
         * The keys file ({@code CONVEYOR_API_KEYS_FILE}): one client a line, {@code <name> <role>[,<role>...]
         * sha256:<hex> [rate=<n>/s]}. Unset, the gateway runs in protected mode.
         */
        Optional<String> keysFile();

        /**
         * A file holding the admin token ({@code CONVEYOR_ADMIN_TOKEN_FILE}), used when {@code CONVEYOR_ADMIN_TOKEN}
         * is unset; missing on first start, the gateway writes a fresh random token into it.
         */
        Optional<String> adminTokenFile();

        /**
         * Addresses whose requests without a key protected mode serves ({@code CONVEYOR_LOCAL_NETWORKS}, CIDR
         * blocks). Only used while no keys file is configured.
         */
        @WithDefault("127.0.0.0/8,::1/128")
        List<String> localNetworks();

        /** How often the keys file is checked for changes ({@code CONVEYOR_API_KEYS_RELOAD}). */
        @WithDefault("2S")
        @NoShorterThan("PT0.1S")
        Duration reloadInterval();
    }

    /** Where the workers' artifacts are read from, to serve them at {@code GET /api/v1/tasks/{id}/artifact}. */
    Artifacts artifacts();

    /** The operator console at {@code /console}. */
    Console console();

    interface Console {

        /**
         * A type whose oldest ready task has waited longer than this shows red on the console
         * ({@code CONVEYOR_CONSOLE_LATENCY_ALARM}).
         */
        @WithDefault("PT30S")
        @NoShorterThan("PT1S")
        Duration latencyAlarm();
    }

    interface Artifacts {
        /**
         * The artifact directory the workers write into ({@code CONVEYOR_ARTIFACT_DIR}, the variable the workers read
         * too), relative to the working directory unless absolute. Only read: the gateway never writes there.
         */
        @WithDefault("artifacts")
        String dir();
    }

    /** Recurring schedules (README, "Schedules"): every gateway polls for due ticks and fires them. */
    Schedules schedules();

    interface Schedules {
        /** Whether this gateway fires schedules; the API serves them either way. */
        @WithDefault("true")
        boolean enabled();

        /** How often a gateway looks for due ticks ({@code CONVEYOR_SCHEDULES_POLL}): a tick fires this late at most. */
        @WithDefault("250ms")
        @NoShorterThan("PT0.01S")
        Duration poll();

        /**
         * How long a gateway holds a tick it claimed before another may fire it instead
         * ({@code CONVEYOR_SCHEDULES_LEASE}): longer than a publish may take (the confirm timeout), as a tick whose
         * claimer died fires this late.
         */
        @WithDefault("15S")
        @NoShorterThan("PT1S")
        Duration lease();

        /**
         * A tick first claimed later than this after its time was missed, and its schedule's missed policy applies
         * ({@code CONVEYOR_SCHEDULES_GRACE}).
         */
        @WithDefault("10S")
        @NoShorterThan("PT1S")
        Duration grace();

        /** Wait before trying a tick that could not be fired again, doubled each attempt up to the lease. */
        @WithDefault("1S")
        @NoShorterThan("PT0.01S")
        Duration retryBase();

        /** Most ticks one poll claims. */
        @WithDefault("32")
        @AtLeast(1)
        @AtMost(1000)
        int claimLimit();
    }

    /** Operator access to the dead letters ({@code conveyor.dead}). */
    DeadLetters deadLetters();

    /** The task queues' length limits, set as broker policies (README, "Queue limits"). */
    QueueLimits queueLimits();

    interface QueueLimits {
        /** Most messages a task queue holds, for each type without an override; {@code CONVEYOR_QUEUE_MAX_LENGTH}. */
        @WithDefault("1000000")
        @AtLeast(1)
        long maxLength();

        /**
         * Per-type overrides, {@code send_email=10000,resize_image=500}; {@code CONVEYOR_QUEUE_MAX_LENGTHS}. Checked
         * against the catalogue at startup ({@link QueueMaxLengths}).
         */
        Optional<String> maxLengths();

        /**
         * Base URL of RabbitMQ's management API, through which the limits are set; {@code RABBITMQ_MANAGEMENT_URL},
         * unset meaning {@code http://<RABBITMQ_HOST>:15672}.
         */
        Optional<String> managementUrl();

        /**
         * Priority of the gateway's limit policies: a policy of higher priority that matches a task queue replaces
         * them on it (RabbitMQ applies one policy a queue), and the gateway warns at startup when one does.
         */
        @WithDefault("10")
        int policyPriority();

        /** Longest wait for each call to the management API. */
        @WithDefault("5S")
        @NoShorterThan("PT0.001S")
        Duration requestTimeout();

        /** Longest pause between attempts to set the limits while the management API refuses or is unreachable. */
        @WithDefault("60S")
        @NoShorterThan("PT1S")
        Duration retryCap();
    }

    interface DeadLetters {
        /** Longest wait for each state-store call of a dead-letter operation; {@code CONVEYOR_DEAD_LETTER_STATE_TIMEOUT}. */
        @WithDefault("2S")
        @NoShorterThan("PT0.001S")
        Duration stateTimeout();

        /** Longest wait for the broker's confirm of each replayed task; {@code CONVEYOR_DEAD_LETTER_CONFIRM_TIMEOUT}. */
        @WithDefault("10S")
        @NoShorterThan("PT0.001S")
        Duration confirmTimeout();

        /** Dead letters one operation looks at, at most (oldest first); {@code CONVEYOR_DEAD_LETTER_MAX_SCAN}. */
        @WithDefault("10000")
        @AtLeast(1)
        int maxScan();
    }

    interface State {
        /** How long a SUCCEEDED or CANCELLED task stays queryable. */
        @WithDefault("P7D")
        @NoShorterThan("PT1S")
        Duration retentionFinished();

        /** How long a DEAD task stays queryable. */
        @WithDefault("P30D")
        @NoShorterThan("PT1S")
        Duration retentionDead();

        /** How long an idempotency key returns its first answer; {@code CONVEYOR_IDEMPOTENCY_WINDOW}. */
        @WithDefault("PT24H")
        @NoShorterThan("PT1S")
        Duration idempotencyWindow();

        /**
         * Longest {@code ?wait=} a status read may hold; longer waits are refused with 400
         * ({@code CONVEYOR_MAX_WAIT}).
         */
        @WithDefault("PT60S")
        @NoShorterThan("PT1S")
        Duration maxWait();

        /**
         * How long a submission waits for its QUEUED record: without an idempotency key it then goes on without it,
         * with a key it answers 503 ({@code CONVEYOR_STATE_WRITE_TIMEOUT}).
         */
        @WithDefault("2S")
        @NoShorterThan("PT0.001S")
        Duration writeTimeout();

        /**
         * How much longer than its wait a long-poll's marker lives in Redis, so a task that finishes as the wait
         * ends is still announced ({@code CONVEYOR_WATCH_MARGIN}).
         */
        @WithDefault("5S")
        @NoShorterThan("PT0S")
        Duration watchMargin();

        /**
         * How often a repeat of an idempotency key still being accepted reads the key again
         * ({@code CONVEYOR_IDEMPOTENCY_POLL}).
         */
        @WithDefault("25ms")
        @NoShorterThan("PT0.001S")
        Duration idempotencyPoll();

        /**
         * How much longer than the confirm timeout such a repeat waits for the first request before it gets 409
         * ({@code CONVEYOR_IDEMPOTENCY_WAIT_MARGIN}); the first request's answer normally comes within the confirm
         * timeout, this covers its Redis writes.
         */
        @WithDefault("2S")
        @NoShorterThan("PT0S")
        Duration idempotencyWaitMargin();
    }

    interface Publish {
        /** How long a request waits for the broker's publisher confirm before it gets 503. */
        @WithDefault("5S")
        @NoShorterThan("PT0.001S")
        Duration confirmTimeout();

        /**
         * Channels in confirm mode, used round-robin. Publishes come from the few event-loop threads, so a few
         * channels suffice; each more costs the broker (measured in bench/RESULTS.md, entry of 2026-11-26 18:50:
         * "4 confirm channels instead of 16").
         */
        @WithDefault("4")
        @AtLeast(1)
        int channels();

        /** Value of {@code Retry-After} on 503 answers. */
        @WithDefault("5S")
        @NoShorterThan("PT1S")
        Duration retryAfter();
    }

    interface Seed {
        @WithDefault("Hello from Conveyor")
        String subject();

        @WithDefault("This email was sent by a Conveyor background task.")
        String body();
    }
}
