package io.conveyor.worker.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskError;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.state.Batcher;
import io.conveyor.model.state.Scripts;
import io.conveyor.model.state.StateKeys;
import io.conveyor.model.state.TaskRecords;
import io.conveyor.model.state.Transition;
import io.conveyor.worker.config.WorkerConfig;
import io.conveyor.worker.config.WorkerIdentity;
import io.conveyor.worker.outcome.TaskOutcome;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Writes the worker's side of a task's life to Redis: RUNNING before the handler, then SUCCEEDED,
 * RETRY_SCHEDULED or DEAD before the ack. The broker, not Redis, is the source of truth for delivery: when Redis
 * is unreachable tasks still run and are settled; only their recorded state lags.
 */
@ApplicationScoped
public class TaskStateWriter {

    private static final Logger LOG = Logger.getLogger(TaskStateWriter.class);
    /**
     * The writes of concurrent handler threads go to Redis together, one script call per batch: a thread alone
     * waits one round trip as before, busy threads share theirs. One batch at a time makes the batches larger, and
     * larger batches cost the worker less CPU per task than two smaller ones in flight (bench/RESULTS.md, "Worker:
     * one state batch in flight").
     */
    private static final int MAX_BATCH = 64;

    private static final int MAX_BATCHES_IN_FLIGHT = 1;
    /** How long a progress write may take before it is given up: progress is best-effort. */
    private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(1);
    /** Between tries of a finished task's write while Redis fails. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    private record Write(String taskId, Transition transition) {}

    private final ReactiveRedisDataSource redis;
    private final WorkerConfig.State retention;
    /** How long a write may take: see {@link WorkerConfig.State#writeTimeout()}. */
    private final Duration writeTimeout;
    /** How long a finished task's write is retried: see {@link WorkerConfig.State#outagePatience()}. */
    private final Duration outagePatience;
    /** Redis replicas a write batch must reach before it counts: see {@link WorkerConfig.State#replicas()}. */
    private final int replicas;

    private final Duration replicaTimeout;

    private final String worker;
    private final Batcher<Write, List<String>> writes = new Batcher<>(this::applyAll, MAX_BATCH, MAX_BATCHES_IN_FLIGHT);

    public TaskStateWriter(ReactiveRedisDataSource redis, WorkerConfig config, WorkerIdentity identity) {
        this.redis = redis;
        this.retention = config.state();
        this.writeTimeout = config.state().writeTimeout();
        this.outagePatience = config.state().outagePatience();
        this.replicas = config.state().replicas();
        this.replicaTimeout = writeTimeout.dividedBy(2);
        this.worker = identity.name();
    }

    /**
     * Why a task must not run: the state it is recorded in, and the batch whose onComplete task is still to be
     * published when the task is a member of a done batch (null otherwise; see {@code BatchCompleter}).
     */
    public record Refusal(TaskStatus status, String batchDue) {}

    /**
     * Records RUNNING for an attempt that is about to start, waiting for Redis's answer (at most the write timeout).
     * Returns the recorded state that refused it when the task must not run: already finished, dead or cancelled (a
     * redelivery, or a cancel that came first). Empty means run it, also when Redis is unreachable. The record names
     * this worker and the attempt's start ({@code startedAt}, which its failure, if any, repeats).
     */
    public Optional<Refusal> recordRunning(TaskEnvelope task, int attempt, Instant startedAt) {
        Transition running = Transition.to(TaskStatus.RUNNING, startedAt)
                .runBy(worker)
                .attempts(attempt)
                .nextAttemptAt(null)
                .createIfMissing(task);
        try {
            List<String> answer = apply(task.id(), running);
            if ("refused".equals(answer.get(0))) {
                return Optional.of(new Refusal(TaskStatus.valueOf(answer.get(1)), batchDue(answer)));
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "State store unavailable, running task %s without recording RUNNING: %s", task.id(), e.toString());
        }
        return Optional.empty();
    }

    /**
     * Records how an attempt ended. The future completes when Redis answered, retrying while it fails for up to the
     * outage patience, or with the write given up: it never fails, since a long state store outage must not keep a
     * finished task from being settled forever (a write given up is logged).
     * Its value is the id of a batch this write completed (or found complete) whose onComplete task is still to be
     * published, else null.
     */
    public CompletableFuture<String> record(TaskOutcome outcome) {
        if (outcome.taskId() == null) {
            return CompletableFuture.completedFuture(null);
        }
        Write write;
        try {
            write = new Write(outcome.taskId(), transition(outcome));
        } catch (RuntimeException e) {
            // A result that does not serialise is the handler's bug; the task is settled all the same.
            LOG.errorf(e, "Task %s reached %s, which cannot be recorded", outcome.taskId(), outcome.status());
            return CompletableFuture.completedFuture(null);
        }
        return recordWithin(write, outcome, System.nanoTime() + outagePatience.toNanos(), 0);
    }

    /**
     * One try at a finished task's write, and more while Redis fails (a failover: the master gone, the sentinels
     * promoting a replica) until {@code deadline}; then the task is settled unrecorded.
     */
    private CompletableFuture<String> recordWithin(Write write, TaskOutcome outcome, long deadline, int retries) {
        return writes.submit(write)
                .handle((answer, failure) -> {
                    if (failure == null) {
                        if (retries > 0) {
                            LOG.infof(
                                    "Task %s: %s recorded after %d retries",
                                    outcome.taskId(), outcome.status(), retries);
                        }
                        if ("refused".equals(answer.get(0))) {
                            LOG.warnf(
                                    "Task %s: state %s refused over %s",
                                    outcome.taskId(), outcome.status(), answer.get(1));
                        }
                        return CompletableFuture.completedFuture(batchDue(answer));
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        LOG.warnf(
                                "State store unavailable, task %s reached %s unrecorded: %s",
                                outcome.taskId(), outcome.status(), failure.toString());
                        return CompletableFuture.<String>completedFuture(null);
                    }
                    if (retries == 0) {
                        LOG.warnf(
                                "State store unavailable, retrying the %s write of task %s for up to %s: %s",
                                outcome.status(), outcome.taskId(), outagePatience, failure.toString());
                    }
                    long pause = Math.min(RETRY_PAUSE.toNanos(), left);
                    return CompletableFuture.runAsync(
                                    () -> {}, CompletableFuture.delayedExecutor(pause, TimeUnit.NANOSECONDS))
                            .thenCompose(ignored -> recordWithin(write, outcome, deadline, retries + 1));
                })
                .thenCompose(next -> next);
    }

    /** Where an attempt's handler reports its progress: throttled, best-effort (see {@link AttemptProgress}). */
    public AttemptProgress progress(String taskId, int attempt) {
        return new AttemptProgress(this, taskId, attempt);
    }

    /**
     * Writes a progress report at once, unthrottled, without creating or touching a record that is not RUNNING this
     * attempt (progress.lua). Completes with true when written, false when not; fails when Redis does not answer
     * within a second.
     */
    public CompletionStage<Boolean> recordProgress(String taskId, int attempt, long done, long total, String message) {
        String[] evalsha = Scripts.evalsha(
                Scripts.PROGRESS,
                List.of(StateKeys.task(taskId)),
                TaskRecords.progressArguments(attempt, done, total, message, Instant.now()));
        Duration timeout = writeTimeout.compareTo(PROGRESS_TIMEOUT) < 0 ? writeTimeout : PROGRESS_TIMEOUT;
        return redis.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> redis.execute("EVAL", Scripts.eval(Scripts.PROGRESS, evalsha)))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new IllegalStateException("No answer from Redis within " + timeout))
                .map(answer -> answer.toLong() == 1L)
                .subscribeAsCompletionStage();
    }

    private Transition transition(TaskOutcome outcome) {
        Instant now = Instant.now();
        Transition transition = Transition.to(outcome.status(), now).attempts(outcome.attempt());
        switch (outcome.status()) {
            case SUCCEEDED ->
                transition
                        .result(outcome.result() == null ? Map.of() : outcome.result())
                        .expireAfter(retention.retentionFinished());
            case RETRY_SCHEDULED -> transition.nextAttemptAt(outcome.nextAttemptAt());
            case DEAD -> transition.expireAfter(retention.retentionDead());
            default -> throw new IllegalArgumentException("Workers do not record " + outcome.status());
        }
        if (outcome.error() != null) {
            transition.error(new TaskError(
                    outcome.error().getClass().getName(),
                    String.valueOf(outcome.error().getMessage()),
                    outcome.attempt(),
                    now,
                    worker,
                    outcome.startedAt()));
        }
        if (outcome.task() != null) {
            transition.createIfMissing(outcome.task());
        }
        return transition;
    }

    private static String batchDue(List<String> answer) {
        return answer.size() > 2 && !answer.get(2).isEmpty() ? answer.get(2) : null;
    }

    /** The script's {outcome, previous status, batch due} for this task; throws when Redis did not answer in time. */
    private List<String> apply(String taskId, Transition transition) {
        CompletableFuture<List<String>> answer = writes.submit(new Write(taskId, transition));
        try {
            return answer.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // Not sent yet, it never will be: the task went on without this write.
            answer.cancel(false);
            throw new IllegalStateException("No answer from Redis within " + writeTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the task's state", e);
        }
    }

    private static Uni<Response> transition(ReactiveRedisDataSource on, String[] evalsha) {
        return on.execute("EVALSHA", evalsha)
                .onFailure(Scripts::isNoScript)
                .recoverWithUni(() -> on.execute("EVAL", Scripts.eval(Scripts.TRANSITION, evalsha)));
    }

    /**
     * The batch, then WAIT on the same connection until {@link #replicas} replicas have it (at most
     * {@link #replicaTimeout}): Redis replicates asynchronously, and a write the master answered but had not passed on
     * when it died is missing on the replica a failover promotes. A batch that did not reach them fails, so a finished
     * task's write is retried (a repeat finds it done, and waits for the replicas again) before its message is acked.
     */
    private Uni<Response> replicated(String[] evalsha) {
        AtomicReference<Response> answers = new AtomicReference<>();
        return redis.withConnection(connection -> transition(connection, evalsha)
                        .invoke(answers::set)
                        .chain(ignored -> connection.execute(
                                "WAIT", Integer.toString(replicas), Long.toString(replicaTimeout.toMillis())))
                        .invoke(acked -> {
                            if (acked.toInteger() < replicas) {
                                throw new IllegalStateException("The state write reached " + acked.toInteger() + " of "
                                        + replicas + " Redis replicas within " + replicaTimeout);
                            }
                        })
                        .replaceWithVoid())
                .map(ignored -> answers.get());
    }

    private CompletionStage<List<List<String>>> applyAll(List<Write> batch) {
        List<String> keys = new ArrayList<>(2 * batch.size());
        List<String> args = new ArrayList<>(batch.size() * Scripts.TRANSITION_ARGS);
        for (Write write : batch) {
            keys.add(StateKeys.task(write.taskId()));
            keys.add(StateKeys.failures(write.taskId()));
            args.addAll(write.transition().arguments());
        }
        String[] evalsha = Scripts.evalsha(Scripts.TRANSITION, keys, args);
        // A batch Redis does not answer in time fails as a whole: the acks waiting for it are not held up longer.
        return (replicas > 0 ? replicated(evalsha) : transition(redis, evalsha))
                .ifNoItem()
                .after(writeTimeout)
                .failWith(() -> new IllegalStateException("No answer from Redis within " + writeTimeout))
                .map(answers -> {
                    List<List<String>> outcomes = new ArrayList<>(answers.size());
                    answers.forEach(r -> outcomes.add(List.of(
                            r.get(0).toString(),
                            r.get(1).toString(),
                            r.size() > 2 ? r.get(2).toString() : "")));
                    return outcomes;
                })
                .subscribeAsCompletionStage();
    }
}
