package io.conveyor.worker.config;

import java.time.Duration;
import java.util.List;

import io.conveyor.amqp.BrokerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the worker; environment variables map onto these keys in application.properties. */
@ConfigMapping(prefix = "conveyor")
public interface WorkerConfig {

    BrokerConfig broker();

    Worker worker();

    Retry retry();

    State state();

    interface State {
        /** How long a SUCCEEDED or CANCELLED task stays queryable. */
        @WithDefault("P7D")
        Duration retentionFinished();

        /** How long a DEAD task stays queryable. */
        @WithDefault("P30D")
        Duration retentionDead();
    }

    /** Consume the diagnostic task types (noop, sleep, fail); {@code CONVEYOR_DIAGNOSTICS}. */
    @WithDefault("true")
    boolean diagnostics();

    interface Worker {
        /** Task types this instance consumes, or {@code all}; {@code CONVEYOR_WORKER_TYPES}. */
        @WithDefault("all")
        List<String> types();

        /** Handlers running at once. {@code CONVEYOR_WORKER_CONCURRENCY}. */
        @WithDefault("8")
        int concurrency();

        /**
         * Unacknowledged messages each queue's consumer may hold ({@code CONVEYOR_WORKER_PREFETCH}); defaults to
         * {@value io.conveyor.worker.consume.WorkerRuntime#PREFETCH_PER_THREAD} × the concurrency. A quorum queue
         * hands a consumer new messages only as its acks are committed, so a small prefetch caps the rate whatever
         * the worker does (PerfTest here: 1.4k msg/s at 8, 4.3k at 32, 6.6k at 64). Set it equal to the concurrency
         * for long tasks, so that one worker does not hold tasks another could start. Never unlimited.
         */
        java.util.OptionalInt prefetch();

        /** How long a SIGTERM waits for in-flight handlers before returning their messages to the queue. */
        @WithDefault("30S")
        Duration drainTimeout();

        /** Name written into dead letters' {@code x-worker}; defaults to host name and process id. */
        java.util.Optional<String> name();

        /**
         * Per-type attempt timeouts overriding the catalogue's, e.g. {@code conveyor.worker.timeouts.send_email=PT1M}
         * ({@code CONVEYOR_WORKER_TIMEOUTS_SEND_EMAIL}). Empty by default.
         */
        java.util.Map<String, Duration> timeouts();
    }

    interface Retry {
        /** Backoff of the first retry, before jitter. */
        @WithDefault("1S")
        Duration base();

        /** Longest backoff. */
        @WithDefault("1H")
        Duration cap();

        /** How long publishing a retry or dead letter may wait for the broker's confirm. */
        @WithDefault("10S")
        Duration confirmTimeout();
    }
}
