package io.conveyor.worker.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.model.Json;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.model.ops.WorkerHeartbeat;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.config.WorkerIdentity;
import io.conveyor.worker.consume.HandlerTimeouts;
import io.conveyor.worker.consume.WorkerRuntime;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Reports this worker to the operations API every heartbeat interval, from the moment its consumers first started:
 * its {@link WorkerHeartbeat} under {@link OpsKeys#worker}, expiring after {@link OpsKeys#MISSED_HEARTBEATS}
 * intervals, and its id in {@link OpsKeys#WORKERS} scored by the beat's time. Each beat first brings the paused
 * types in line with Redis ({@link WorkerRuntime#reconcile()}). On shutdown the worker removes itself at once rather
 * than linger until its key expires. A Redis failure only skips beats: tasks are never held up by them.
 */
@Startup
@ApplicationScoped
public class Heartbeats {

    private static final Logger LOG = Logger.getLogger(Heartbeats.class);

    /** KEYS: the worker's key, the workers set; ARGV: heartbeat JSON, expiry in ms, beat time in ms, worker id. */
    private static final String BEAT = "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) "
            + "redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4]) return 1";

    /** KEYS: the worker's key, the workers set; ARGV: worker id. */
    private static final String LEAVE = "redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[1]) return 1";

    private final ReactiveRedisDataSource redis;
    private final WorkerRuntime runtime;
    private final HandlerTimeouts handlers;
    private final String id;
    private final String host;
    private final String version;
    private final int concurrency;
    private final Duration interval;
    /** How long one beat's Redis call may take: as long as a state write. */
    private final Duration timeout;

    private final Instant startedAt = Instant.now();
    /** Attempts finished since start, whatever their outcome. */
    private final LongAdder done = new LongAdder();

    private final RedisOutage outage = new RedisOutage(LOG);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conveyor-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public Heartbeats(
            ReactiveRedisDataSource redis,
            WorkerRuntime runtime,
            HandlerTimeouts handlers,
            WorkerIdentity identity,
            WorkerConfig config,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.redis = redis;
        this.runtime = runtime;
        this.handlers = handlers;
        this.id = identity.name();
        this.host = identity.host();
        this.version = version;
        this.concurrency = config.worker().concurrency();
        this.interval = config.worker().heartbeatInterval();
        this.timeout = config.state().writeTimeout();
        runtime.started().thenRun(this::begin);
    }

    private void begin() {
        try {
            timer.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Shut down before the first heartbeat");
        }
    }

    /** Counts every attempt's end; observers run on the settling thread, so this only counts. */
    void finished(@Observes TaskOutcome outcome) {
        done.increment();
    }

    /** The report a beat writes now. */
    WorkerHeartbeat heartbeat() {
        return new WorkerHeartbeat(
                id,
                host,
                version,
                runtime.consumedTypes(),
                runtime.pausedTypes(),
                concurrency,
                handlers.running(),
                done.sum(),
                startedAt,
                Instant.now(),
                interval.toMillis());
    }

    /** One beat; nothing may escape it, or the timer would run no other. */
    private void beat() {
        try {
            runtime.reconcile();
        } catch (RuntimeException e) {
            outage.failed(e);
        }
        try {
            write(heartbeat());
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed(e);
        }
    }

    private void write(WorkerHeartbeat beat) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(beat);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The heartbeat does not serialise", e);
        }
        long ttl = interval.toMillis() * OpsKeys.MISSED_HEARTBEATS;
        // One script, not MULTI/EXEC: a transaction holds a pooled connection in MULTI state, and Quarkus' Redis
        // client can then answer another caller's command with QUEUED (quarkusio/quarkus#48420); seen here as a
        // send_email attachment check that never got its answer while a beat was in flight.
        await(redis.execute(
                "EVAL",
                BEAT,
                "2",
                OpsKeys.worker(id),
                OpsKeys.WORKERS,
                json,
                String.valueOf(ttl),
                String.valueOf(beat.heartbeatAt().toEpochMilli()),
                id));
    }

    /**
     * Stops beating and removes this worker, so the operations API stops listing it at once; one that cannot reach
     * Redis now drops out when its key expires. Runs before the drain (a lower priority than WorkerRuntime's
     * observer): a draining worker takes no new tasks, and the drain may last the whole drain timeout.
     */
    void leave(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        timer.shutdownNow();
        try {
            // A beat in flight would write the key again after the removal.
            timer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            await(redis.execute("EVAL", LEAVE, "2", OpsKeys.worker(id), OpsKeys.WORKERS, id));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not remove this worker's heartbeat from Redis (%s); it expires within %d ms",
                    e.toString(), interval.toMillis() * OpsKeys.MISSED_HEARTBEATS);
        }
    }

    private <T> T await(Uni<T> call) {
        return call.ifNoItem()
                .after(timeout)
                .failWith(() -> new IllegalStateException("No answer from Redis within " + timeout))
                .await()
                .indefinitely();
    }
}
