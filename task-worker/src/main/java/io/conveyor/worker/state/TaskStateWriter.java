package io.conveyor.worker.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.Transition;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.consume.TaskOutcome;
import io.conveyor.worker.consume.WorkerIdentity;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes the worker's side of a task's life to Redis: RUNNING before the handler, then SUCCEEDED,
 * RETRY_SCHEDULED or DEAD before the ack. The broker, not Redis, is the source of truth for delivery: when Redis
 * is unreachable tasks still run and are settled; only their recorded state lags.
 */
@ApplicationScoped
public class TaskStateWriter {

    private static final Logger LOG = Logger.getLogger(TaskStateWriter.class);
    private static final String TRANSITION_SHA = Scripts.sha(Scripts.TRANSITION);

    private final RedisDataSource redis;
    private final WorkerConfig.State retention;
    private final String worker;

    public TaskStateWriter(RedisDataSource redis, WorkerConfig config, WorkerIdentity identity) {
        this.redis = redis;
        this.retention = config.state();
        this.worker = identity.name();
    }

    /**
     * Records that an attempt starts. Returns the task's state when it must not run: already finished, dead or
     * cancelled (a redelivery, or a cancel that came first). Empty means run it, also when Redis is unreachable.
     */
    public Optional<TaskStatus> start(TaskEnvelope task, int attempt) {
        Transition running = Transition.to(TaskStatus.RUNNING, Instant.now()).attempts(attempt).nextAttemptAt(null)
                .createIfMissing(task);
        try {
            List<String> answer = apply(task.id(), running);
            if ("refused".equals(answer.get(0))) {
                return Optional.of(TaskStatus.valueOf(answer.get(1)));
            }
        } catch (RuntimeException e) {
            LOG.warnf("State store unavailable, running task %s without recording RUNNING: %s", task.id(), e.toString());
        }
        return Optional.empty();
    }

    void record(@Observes TaskOutcome outcome) {
        if (outcome.taskId() == null) {
            return;
        }
        Instant now = Instant.now();
        Transition transition = Transition.to(outcome.status(), now).attempts(outcome.attempt());
        switch (outcome.status()) {
            case SUCCEEDED -> transition.result(outcome.result() == null ? java.util.Map.of() : outcome.result())
                    .expireAfter(retention.retentionFinished());
            case RETRY_SCHEDULED -> transition.nextAttemptAt(outcome.nextAttemptAt());
            case DEAD -> transition.expireAfter(retention.retentionDead());
            default -> throw new IllegalArgumentException("Workers do not record " + outcome.status());
        }
        if (outcome.error() != null) {
            transition.error(new TaskError(outcome.error().getClass().getName(), String.valueOf(outcome.error().getMessage()),
                    outcome.attempt(), now, worker));
        }
        if (outcome.task() != null) {
            transition.createIfMissing(outcome.task());
        }
        try {
            List<String> answer = apply(outcome.taskId(), transition);
            if ("refused".equals(answer.get(0))) {
                LOG.warnf("Task %s: state %s refused over %s", outcome.taskId(), outcome.status(), answer.get(1));
            }
        } catch (RuntimeException e) {
            LOG.warnf("State store unavailable, task %s reached %s unrecorded: %s", outcome.taskId(), outcome.status(),
                    e.toString());
        }
    }

    private List<String> apply(String taskId, Transition transition) {
        List<String> args = new ArrayList<>(List.of(TRANSITION_SHA, "2", StateKeys.task(taskId), StateKeys.failures(taskId)));
        args.addAll(transition.arguments());
        Response response;
        try {
            response = redis.execute("EVALSHA", args.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (!Scripts.isNoScript(e)) {
                throw e;
            }
            args.set(0, Scripts.TRANSITION);
            response = redis.execute("EVAL", args.toArray(String[]::new));
        }
        return List.of(response.get(0).toString(), response.get(1).toString());
    }
}
