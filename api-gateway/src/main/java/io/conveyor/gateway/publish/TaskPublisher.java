package io.conveyor.gateway.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rabbitmq.client.AMQP;

import io.conveyor.amqp.BrokerUnavailableException;
import io.conveyor.amqp.PublishRejectedException;
import io.conveyor.amqp.TaskMessages;
import io.conveyor.gateway.config.GatewayConfig;
import io.conveyor.gateway.config.QueueMaxLengths;
import io.conveyor.model.Delays;
import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskAccepted;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.TaskStatus;
import io.conveyor.model.Topology;
import io.smallrye.mutiny.Uni;

/** Turns a validated request into a persistent task message and completes once the broker confirmed it. */
@ApplicationScoped
public class TaskPublisher {

    private final Broker broker;
    private final Duration confirmTimeout;
    private final QueueMaxLengths maxLengths;

    public TaskPublisher(Broker broker, GatewayConfig config, QueueMaxLengths maxLengths) {
        this.broker = broker;
        this.confirmTimeout = config.publish().confirmTimeout();
        this.maxLengths = maxLengths;
    }

    /** A new task's envelope: a fresh id, the type's or the request's max attempts, created now, its callback URL. */
    public static TaskEnvelope envelope(ValidatedTask task) {
        return envelope(task, TaskIds.next(), null);
    }

    /**
     * The envelope of a task with a given id, fired by the schedule named {@code schedule} (null: none): a schedule
     * fixes its tick's task id before it publishes, so a tick fired again after a crash is the same task.
     */
    public static TaskEnvelope envelope(ValidatedTask task, String id, String schedule) {
        return new TaskEnvelope(
                id,
                task.type().name(),
                task.payload(),
                task.maxAttempts(),
                Instant.now(),
                task.client(),
                task.callbackUrl(),
                schedule);
    }

    /** A fresh task id (a random UUID from a SecureRandom). */
    public static String newId() {
        return TaskIds.next();
    }

    /** When a delayed task may run, or null. */
    public static Instant notBefore(TaskEnvelope envelope, ValidatedTask task) {
        Duration delay = task.delay();
        return delay == null || delay.isZero() ? null : envelope.createdAt().plus(delay);
    }

    /**
     * Publishes the task when subscribed; fails with {@link BrokerUnavailableException} when the broker is
     * unreachable or blocking, with {@link TimeoutException} when it did not confirm in time, with
     * {@link QueueFullException} when the type's queue refused it (a nack: the queue is at its limit), and with
     * {@link PublishRejectedException} when the broker refused it otherwise. This is the gateway's one seam between
     * the broker client's futures and Mutiny: failures come out unwrapped, never as a {@link CompletionException}.
     */
    public Uni<TaskAccepted> publish(TaskEnvelope envelope, ValidatedTask task) {
        return Uni.createFrom()
                .completionStage(() -> send(envelope, task))
                .onFailure(CompletionException.class)
                .transform(e -> e.getCause() != null ? e.getCause() : e)
                .onFailure(e -> refusedByTaskQueue(e, task))
                .transform(e -> new QueueFullException(envelope.type(), maxLengths.of(envelope.type())))
                .map(ignored ->
                        new TaskAccepted(envelope.id(), envelope.type(), TaskStatus.QUEUED, envelope.createdAt()));
    }

    /**
     * A nack for a message sent to the type's own queue: with the limit policy's reject-publish overflow, that
     * queue being full is what makes the broker nack. A delayed task goes to a retry tier, which has no limit.
     */
    private static boolean refusedByTaskQueue(Throwable failure, ValidatedTask task) {
        return failure instanceof PublishRejectedException rejected && !rejected.unroutable() && !delayed(task);
    }

    private static boolean delayed(ValidatedTask task) {
        return task.delay() != null && !task.delay().isZero();
    }

    private CompletableFuture<Void> send(TaskEnvelope envelope, ValidatedTask task) {
        if (!broker.ready()) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException(broker.state()));
        }
        Instant now = envelope.createdAt();
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, Object> headers = new HashMap<>();
        if (task.traceparent() != null) {
            headers.put(Headers.TRACEPARENT, task.traceparent());
        }
        String exchange = Topology.TASKS_EXCHANGE;
        String routingKey = envelope.type();
        if (delayed(task)) {
            Duration delay = task.delay();
            // Delayed tasks wait in a retry tier; on expiry they return to their own queue only.
            headers.put(Headers.NOT_BEFORE, now.plus(delay).toEpochMilli());
            // Queue latency of a delayed task counts from when it is due.
            headers.put(Headers.ENQUEUED_AT, now.plus(delay).toEpochMilli());
            headers.put(Headers.RETRY_TIER, Topology.tierLabel(Delays.hopFor(delay)));
            exchange = Topology.RETRY_EXCHANGE;
            routingKey = Topology.taskQueue(envelope.type());
        }
        AMQP.BasicProperties props = TaskMessages.properties(envelope, 1, task.priority(), headers);
        return broker.publisher()
                .publish(exchange, routingKey, props, body)
                .orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
