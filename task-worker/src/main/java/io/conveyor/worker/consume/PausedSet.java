package io.conveyor.worker.consume;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.conveyor.model.ops.OpsKeys;
import io.conveyor.worker.config.WorkerConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;

/**
 * Reads the task types an operator paused ({@link OpsKeys#PAUSED}). The gateway writes the set before it publishes
 * the control message, so the set is what a worker goes by when it starts or when it may have missed a message.
 */
@ApplicationScoped
public class PausedSet {

    private final ReactiveRedisDataSource redis;
    /** Never longer than a state write: a worker that starts during a Redis outage must not wait long. */
    private final Duration timeout;

    public PausedSet(ReactiveRedisDataSource redis, WorkerConfig config) {
        this.redis = redis;
        this.timeout = config.state().writeTimeout();
    }

    /** The paused types; throws when Redis fails or does not answer within the state write timeout. */
    public Set<String> read() {
        return redis.set(String.class)
                .smembers(OpsKeys.PAUSED)
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new IllegalStateException("No answer from Redis within " + timeout))
                .await()
                .indefinitely();
    }
}
