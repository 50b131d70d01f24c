package io.conveyor.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.conveyor.amqp.BrokerConfig;
import io.conveyor.config.AtLeast;
import io.conveyor.config.AtMost;
import io.conveyor.config.NoShorterThan;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the worker; environment variables map onto these keys in application.properties. Limits are
 * declared with {@code @AtLeast}, {@code @AtMost} and {@code @NoShorterThan} and checked first at startup by
 * {@link ConfigCheck}: a value out of range stops the worker, naming the key and its variable.
 */
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

        /**
         * How long a state write may take ({@code CONVEYOR_STATE_WRITE_TIMEOUT}): a handler thread waits this long for
         * RUNNING before it runs the task anyway, and a batch Redis has not answered by then fails (its tasks' writes
         * are retried for {@link #outagePatience()}).
         */
        @WithDefault("2S")
        @NoShorterThan("PT0.001S")
        Duration writeTimeout();

        /**
         * How long a finished task's state write is retried while Redis fails ({@code CONVEYOR_STATE_OUTAGE_PATIENCE}),
         * its message unacknowledged meanwhile: longer than a Sentinel failover, so that state writes resume on the
         * new master instead of being dropped. Past it the task is acknowledged unrecorded, so that a long outage does
         * not hold every task (0: no retry).
         */
        @WithDefault("30S")
        @NoShorterThan("PT0S")
        Duration outagePatience();

        /**
         * Redis replicas each state write must reach before a finished task is acknowledged
         * ({@code CONVEYOR_STATE_REPLICAS}; WAIT, for up to half the write timeout): 1 with Sentinel, so that a
         * failover cannot lose a terminal state the master had not passed on. 0 (a single Redis) waits for none.
         */
        @WithDefault("0")
        @AtLeast(0)
        @AtMost(16)
        int replicas();
    }

    /** Consume the diagnostic task types (noop, sleep, fail); {@code CONVEYOR_DIAGNOSTICS}. */
    @WithDefault("true")
    boolean diagnostics();

    interface Worker {
        /** Task types this instance consumes, or {@code all}; {@code CONVEYOR_WORKER_TYPES}. */
        @WithDefault("all")
        List<String> types();

        /**
         * Deliveries processed at once, whatever thread they run on ({@code CONVEYOR_WORKER_CONCURRENCY}): a semaphore
         * of that many permits, not a pool size.
         */
        @WithDefault("8")
        @AtLeast(1)
        int concurrency();

        /**
         * Run the handlers of blocking types on virtual threads ({@code CONVEYOR_WORKER_VIRTUAL_THREADS}); false puts
         * every type on platform threads, whatever {@link #threads()} says.
         */
        @WithDefault("true")
        boolean virtualThreads();

        /**
         * Per-type thread kinds overriding what the handler declares, e.g. {@code
         * conveyor.worker.threads.resize_image=virtual}; they apply only while {@link #virtualThreads()} is on. Empty
         * by default: blocking handlers on virtual threads, CPU-bound ones on platform threads.
         */
        Map<String, ThreadKind> threads();

        /**
         * Unacknowledged messages each queue's consumer may hold ({@code CONVEYOR_WORKER_PREFETCH}); defaults to
         * {@value #PREFETCH_PER_THREAD} × the concurrency, at most 65535. A quorum queue
         * hands a consumer new messages only as its acks are committed, so a small prefetch caps the rate whatever
         * the worker does (measured in bench/RESULTS.md, entry of 2026-11-26 18:50). Set it equal to the concurrency
         * for long tasks, so that one worker does not hold tasks another could start. Never unlimited.
         */
        @AtLeast(1)
        @AtMost(65_535)
        OptionalInt prefetch();

        /** Default prefetch per handler thread: enough credit for a quorum queue to keep short tasks flowing. */
        int PREFETCH_PER_THREAD = 8;

        /** How long a SIGTERM waits for in-flight handlers before returning their messages to the queue. */
        @WithDefault("30S")
        @NoShorterThan("PT0S")
        Duration drainTimeout();

        /**
         * After the drain, how long a SIGTERM waits for the acks of finished tasks, which follow their state writes
         * ({@code CONVEYOR_SETTLE_TIMEOUT}); then again for the ack thread to send the last of them. Longer than the
         * state write timeout, so a write given up is still acknowledged.
         */
        @WithDefault("5S")
        @NoShorterThan("PT0.001S")
        Duration settleTimeout();

        /**
         * How often this worker reports itself in Redis for the operations API, and checks the paused types there
         * ({@code CONVEYOR_WORKER_HEARTBEAT_INTERVAL}); its report expires after {@code OpsKeys.MISSED_HEARTBEATS}
         * intervals. At most {@link #MAX_HEARTBEAT_INTERVAL}: longer would leave a dead worker listed for minutes.
         */
        @WithDefault("PT5S")
        @NoShorterThan("PT1S")
        Duration heartbeatInterval();

        /** Longest heartbeat interval, checked at startup by {@link ConfigCheck}. */
        Duration MAX_HEARTBEAT_INTERVAL = Duration.ofSeconds(60);

        /** Name written into dead letters' {@code x-worker}; defaults to host name and process id. */
        Optional<String> name();

        /**
         * A file to append one line {@code <taskId> <attempt> <worker> <epochMillis>} to for every handler run that
         * returned successfully, before its outcome is written and its message acknowledged ({@code
         * CONVEYOR_WORKER_EXECUTION_LOG}): for counting repeated executions, as chaos/run.sh does. Off by default.
         */
        Optional<Path> executionLog();

        /**
         * Per-type attempt timeouts overriding the catalogue's, e.g. {@code conveyor.worker.timeouts.send_email=PT1M},
         * as a JVM option ({@code -Dconveyor.worker.timeouts.send_email=PT1M}): an environment variable
         * {@code CONVEYOR_WORKER_TIMEOUTS_SEND_EMAIL} would name the type {@code send.email}. Empty by default.
         */
        Map<String, Duration> timeouts();

        /**
         * Per-type rates across all workers, e.g. {@code conveyor.worker.rate.send_email=5/s} ({@code 5/s}, {@code 5},
         * {@code 300/m}, {@code 10/h}); as an environment variable {@code CONVEYOR_WORKER_RATE_SEND_EMAIL=5/s}, which
         * {@code TaskLimits} reads by the type's exact name. Empty by default: no type is limited.
         */
        Map<String, String> rate();

        /**
         * Per-type most attempts running at once across all workers, e.g. {@code
         * conveyor.worker.max-running.send_email=2} ({@code CONVEYOR_WORKER_MAX_RUNNING_SEND_EMAIL=2}). Empty by
         * default.
         */
        Map<String, String> maxRunning();

        /** How the per-type limits ({@link #rate()}, {@link #maxRunning()}) are held in Redis. */
        Limit limit();
    }

    interface Limit {
        /**
         * How long a running attempt's slot of a type's most-running limit is held without being renewed
         * ({@code CONVEYOR_WORKER_LIMIT_LEASE}); a worker renews its slots every third of it, so a worker that dies
         * frees its slots within one lease.
         */
        @WithDefault("PT15S")
        @NoShorterThan("PT1S")
        Duration lease();

        /**
         * How long admitting an attempt of a limited type may wait for Redis ({@code CONVEYOR_WORKER_LIMIT_TIMEOUT});
         * without an answer the attempt runs unchecked.
         */
        @WithDefault("1S")
        @NoShorterThan("PT0.001S")
        Duration timeout();
    }

    interface Retry {
        /** Backoff of the first retry, before jitter. */
        @WithDefault("1S")
        @NoShorterThan("PT0.001S")
        Duration base();

        /** Longest backoff. */
        @WithDefault("1H")
        @NoShorterThan("PT0.001S")
        Duration cap();

        /** How long publishing a retry or dead letter may wait for the broker's confirm. */
        @WithDefault("10S")
        @NoShorterThan("PT0.001S")
        Duration confirmTimeout();

        /**
         * Confirm-mode channels publishing retries, re-delays and dead letters ({@code CONVEYOR_RETRY_CHANNELS}): the
         * handler threads share them.
         */
        @WithDefault("2")
        @AtLeast(1)
        int channels();
    }
}
