package io.conveyor.amqp;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;

import io.conveyor.model.DeadLetter;
import io.conveyor.model.Digests;
import io.conveyor.model.Headers;
import io.conveyor.model.Json;
import io.conveyor.model.TaskEnvelope;
import io.conveyor.model.Topology;

/**
 * The one format of a dead letter: the story the worker writes into its headers, the description the gateway reads
 * back, the task type any message is of, and the scrubbed copy a replay publishes. Pure.
 */
public final class DeadLetterFormat {

    /** Headers must fit in one AMQP frame next to everything else: keep the stack well under it. */
    static final int MAX_STACK_CHARS = 8_192;

    static final int MAX_MESSAGE_CHARS = 1_024;
    /** Set by RabbitMQ when it dead-letters a message itself. */
    static final String X_DEATH = "x-death";

    static final String ID_DIGEST_PREFIX = "sha256-";
    /** What a failed run left on the message: none of it may travel into the replayed run. */
    private static final Set<String> STORY_HEADERS = Set.of(
            Headers.ERROR_CLASS,
            Headers.ERROR_MESSAGE,
            Headers.ERROR_STACK,
            Headers.FAILED_AT,
            Headers.WORKER,
            Headers.DEAD_REASON,
            Headers.ORIGINAL_ROUTING_KEY,
            Headers.RETRY_TIER,
            Headers.NOT_BEFORE,
            X_DEATH,
            "x-first-death-exchange",
            "x-first-death-queue",
            "x-first-death-reason",
            "x-last-death-exchange",
            "x-last-death-queue",
            "x-last-death-reason",
            Headers.DELIVERY_COUNT);

    private DeadLetterFormat() {}

    /**
     * The properties of the dead letter of a delivery that failed for good: its own, with the retry tier dropped and
     * the story of the failure added. {@code routingKey} is the routing key the delivery really had.
     */
    public static AMQP.BasicProperties write(
            AMQP.BasicProperties delivered,
            String routingKey,
            Throwable error,
            String reason,
            int attempt,
            String worker,
            Instant failedAt) {
        Map<String, Object> headers = new HashMap<>(headers(delivered));
        headers.remove(Headers.RETRY_TIER);
        headers.put(Headers.ATTEMPT, attempt);
        headers.put(Headers.ERROR_CLASS, error.getClass().getName());
        headers.put(Headers.ERROR_MESSAGE, truncate(String.valueOf(error.getMessage()), MAX_MESSAGE_CHARS));
        headers.put(Headers.ERROR_STACK, truncate(stackOf(error), MAX_STACK_CHARS));
        headers.put(Headers.FAILED_AT, failedAt.toString());
        headers.put(Headers.WORKER, worker);
        headers.put(Headers.DEAD_REASON, reason);
        headers.put(Headers.ORIGINAL_ROUTING_KEY, routingKey);
        return delivered.builder().headers(headers).build();
    }

    /** What a dead letter tells of itself; its state is the caller's to add with {@link DeadLetter#withState}. */
    public static DeadLetter read(AMQP.BasicProperties props, byte[] body, String routingKey) {
        Map<String, Object> headers = headers(props);
        String reason = text(headers.get(Headers.DEAD_REASON));
        if (reason == null && headers.containsKey(X_DEATH)) {
            // Dead-lettered by the broker itself (its delivery limit), not by a worker.
            reason = "broker-"
                    + String.valueOf(headers.getOrDefault("x-first-death-reason", "dead-lettered"))
                            .replace('_', '-');
        }
        return new DeadLetter(
                idOf(props, body),
                typeOf(props, routingKey),
                reason,
                text(headers.get(Headers.ERROR_CLASS)),
                text(headers.get(Headers.ERROR_MESSAGE)),
                TaskMessages.intHeader(props, Headers.ATTEMPT, 1),
                text(headers.get(Headers.FAILED_AT)),
                text(headers.get(Headers.WORKER)),
                null,
                List.of());
    }

    /**
     * The task type of a message: its {@code x-task-type} header, else the routing key it had before it was
     * dead-lettered, else the one it has; a task queue's name counts as its type.
     */
    public static String typeOf(AMQP.BasicProperties props, String routingKey) {
        Map<String, Object> headers = headers(props);
        String type = text(headers.get(Headers.TASK_TYPE));
        if (type != null) {
            return type;
        }
        String key = text(headers.get(Headers.ORIGINAL_ROUTING_KEY));
        key = key == null ? routingKey : key;
        return key != null && key.startsWith(Topology.TASK_QUEUE_PREFIX)
                ? key.substring(Topology.TASK_QUEUE_PREFIX.length())
                : key;
    }

    /** A dead letter's id: its {@code message_id}, or for a message without one a digest of its body. */
    public static String idOf(AMQP.BasicProperties props, byte[] body) {
        String id = props.getMessageId();
        if (id != null && !id.isBlank()) {
            return id;
        }
        return ID_DIGEST_PREFIX + Digests.sha256(body);
    }

    /**
     * Why a dead letter cannot run again, or empty when it can: its body must be a task envelope, and both the type
     * it is routed by and the envelope's type must be {@code known}.
     */
    public static Optional<String> whyNotReplayable(
            AMQP.BasicProperties props, byte[] body, String routingKey, Predicate<String> known) {
        Optional<TaskEnvelope> task = envelope(body);
        if (task.isEmpty()) {
            return Optional.of("its body is not a task envelope (with id, type, payload and maxAttempts)");
        }
        for (String type : new String[] {typeOf(props, routingKey), task.get().type()}) {
            if (type == null || !known.test(type)) {
                return Optional.of("its type '" + type + "' is not a task type of this deployment");
            }
        }
        return Optional.empty();
    }

    /** The body as a task envelope, when it is a complete one. */
    public static Optional<TaskEnvelope> envelope(byte[] body) {
        try {
            TaskEnvelope task = Json.mapper().readValue(body, TaskEnvelope.class);
            return task != null
                            && task.id() != null
                            && task.type() != null
                            && task.payload() != null
                            && task.maxAttempts() >= 1
                    ? Optional.of(task)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The properties a replay publishes: the story and the broker's death records scrubbed, attempts from 1. */
    public static AMQP.BasicProperties forReplay(AMQP.BasicProperties dead, Instant now) {
        Map<String, Object> headers = new HashMap<>(headers(dead));
        headers.keySet().removeAll(STORY_HEADERS);
        headers.put(Headers.ATTEMPT, 1);
        headers.put(Headers.ENQUEUED_AT, now.toEpochMilli());
        return dead.builder().headers(headers).build();
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 15) + "...[truncated]";
    }

    private static String stackOf(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static Map<String, Object> headers(AMQP.BasicProperties props) {
        Map<String, Object> headers = props.getHeaders();
        return headers == null ? Map.of() : headers;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
