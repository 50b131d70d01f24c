package io.conveyor.gateway.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.rest.Problem;
import io.conveyor.gateway.rest.ProblemException;
import io.conveyor.gateway.state.IdempotencyKeys;
import io.conveyor.gateway.state.StateUnavailableException;
import io.conveyor.gateway.state.TaskStore;
import io.conveyor.model.Json;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.state.TaskRecords;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Accepting a task: honour its idempotency key, record it QUEUED, publish it with confirm. If the publish fails
 * nothing stays behind (the record is removed, the key released), so the 503 the client gets is true.
 */
@ApplicationScoped
public class TaskSubmission {

    private static final Logger LOG = Logger.getLogger(TaskSubmission.class);

    private final TaskPublisher publisher;
    private final TaskStore store;
    private final IdempotencyKeys keys;
    private final Duration confirmTimeout;

    public TaskSubmission(TaskPublisher publisher, TaskStore store, IdempotencyKeys keys, GatewayConfig config) {
        this.publisher = publisher;
        this.store = store;
        this.keys = keys;
        this.confirmTimeout = config.publish().confirmTimeout();
    }

    /** Submits a validated task; {@code key} and {@code fingerprint} are null without an idempotency key. */
    public CompletionStage<TaskAccepted> submit(ValidatedTask task, String key, String fingerprint) {
        if (key == null) {
            return acceptWithoutKey(task);
        }
        // Keys are claimed and read with blocking Redis calls: never on the event loop.
        return CompletableFuture.supplyAsync(
                        () -> submitWithKey(task, key, fingerprint), Infrastructure.getDefaultWorkerPool())
                .thenCompose(stage -> stage);
    }

    /**
     * The hot path, on the event loop and without blocking: the QUEUED record and the publish go out together, and
     * the request is answered when the broker confirmed and the record is written (or known to have failed), so
     * the client waits for the slower of the two, not for both in turn. A worker may run the task before its
     * record is written: the record then exists (RUNNING or later) and creating it changes nothing.
     */
    private CompletionStage<TaskAccepted> acceptWithoutKey(ValidatedTask task) {
        TaskEnvelope envelope = TaskPublisher.envelope(task);
        CompletionStage<Boolean> recorded = store.create(envelope, TaskPublisher.notBefore(envelope, task))
                .map(created -> true)
                .onFailure()
                .recoverWithItem(e -> {
                    // The broker is the source of truth for delivery: accept the task, its state appears when a worker
                    // runs it.
                    LOG.warnf(
                            "State store unavailable; accepting task %s without its QUEUED record: %s",
                            envelope.id(), e.toString());
                    return false;
                })
                .subscribeAsCompletionStage();
        CompletionStage<TaskAccepted> published = publisher.publish(envelope, task);
        return recorded.thenCompose(wasRecorded -> published.whenComplete((accepted, failure) -> {
            if (failure != null) {
                undo(envelope.id(), wasRecorded, null);
            }
        }));
    }

    private CompletionStage<TaskAccepted> submitWithKey(ValidatedTask task, String key, String fingerprint) {
        IdempotencyKeys.Claim claim = keys.claim(key, fingerprint);
        if (claim.ours()) {
            return accept(task, key, fingerprint);
        }
        return answerOf(
                        claim,
                        key,
                        fingerprint,
                        Instant.now().plus(confirmTimeout).plusSeconds(2))
                .thenCompose(previous -> previous != null
                        ? CompletableFuture.completedFuture(previous)
                        // The first request failed and released the key: this one takes its place.
                        : submitWithKey(task, key, fingerprint));
    }

    private CompletionStage<TaskAccepted> accept(ValidatedTask task, String key, String fingerprint) {
        TaskEnvelope envelope = TaskPublisher.envelope(task);
        boolean recorded = record(envelope, task, key);
        return publisher.publish(envelope, task).whenComplete((accepted, failure) -> {
            if (failure != null) {
                undo(envelope.id(), recorded, key);
            } else if (key != null) {
                keys.complete(key, fingerprint, TaskRecords.toJson(accepted));
            }
        });
    }

    /** Records QUEUED for a keyed request; without the record the key's promise cannot be kept, so it is a 503. */
    private boolean record(TaskEnvelope envelope, ValidatedTask task, String key) {
        try {
            store.create(envelope, TaskPublisher.notBefore(envelope, task))
                    .await()
                    .atMost(TaskStore.WRITE_TIMEOUT.plusSeconds(1));
            return true;
        } catch (RuntimeException e) {
            keys.release(key);
            throw e instanceof StateUnavailableException s ? s : new StateUnavailableException(e);
        }
    }

    private void undo(String id, boolean recorded, String key) {
        if (recorded) {
            store.forget(id)
                    .subscribe()
                    .with(ok -> {}, e -> LOG.warnf("Could not remove the record of refused task %s", id));
        }
        if (key != null) {
            keys.release(key);
        }
    }

    /** The stored answer for a key held by another request; waits while that request is in flight. */
    private CompletionStage<TaskAccepted> answerOf(
            IdempotencyKeys.Claim claim, String key, String fingerprint, Instant giveUpAt) {
        if (claim == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!claim.fingerprint().equals(fingerprint)) {
            throw new ProblemException(Problem.of(
                    "idempotency-key-reused",
                    "Idempotency key reused",
                    422,
                    "This Idempotency-Key was used within its window for a different request"));
        }
        if (!claim.pending()) {
            return CompletableFuture.completedFuture(parse(claim.body()));
        }
        if (Instant.now().isAfter(giveUpAt)) {
            throw new ProblemException(
                    Problem.of(
                            "idempotency-key-in-progress",
                            "Request in progress",
                            409,
                            "A request with this Idempotency-Key is still being accepted; retry shortly"),
                    Duration.ofSeconds(1));
        }
        Executor later = CompletableFuture.delayedExecutor(25, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> keys.peek(key), later)
                .thenCompose(next -> answerOf(next, key, fingerprint, giveUpAt));
    }

    private static TaskAccepted parse(String body) {
        try {
            return Json.mapper().readValue(body, TaskAccepted.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable stored answer for an idempotency key", e);
        }
    }
}
