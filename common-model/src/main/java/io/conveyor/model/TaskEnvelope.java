package io.conveyor.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of every task message. It never changes between attempts: the attempt number travels in the
 * {@link Headers#ATTEMPT} header so a retry republishes the same bytes.
 *
 * @param id          task id, also the AMQP {@code message_id}
 * @param type        task type name (routing key)
 * @param payload     the payload as accepted by the gateway; validated again by the worker
 * @param maxAttempts attempts before dead-lettering (1..25)
 * @param createdAt   when the gateway accepted the task
 * @param client      name of the API client that submitted it (its owner); null when submitted without a key, and
 *                    then absent from the JSON, so such messages read exactly as before clients existed
 * @param callbackUrl where the task's outcome event is POSTed, signed, when it ends ({@code options.callbackUrl});
 *                    null (and absent from the JSON) for a task without one
 * @param schedule    name of the recurring schedule that fired the task; null (absent) for a task a producer sent
 */
public record TaskEnvelope(
        String id,
        String type,
        JsonNode payload,
        int maxAttempts,
        Instant createdAt,
        String client,
        String callbackUrl,
        String schedule) {

    /** A task of {@code client} without a callback, not fired by a schedule. */
    public TaskEnvelope(String id, String type, JsonNode payload, int maxAttempts, Instant createdAt, String client) {
        this(id, type, payload, maxAttempts, createdAt, client, null, null);
    }

    /** A task submitted without an API key (protected mode, tests, tools). */
    public TaskEnvelope(String id, String type, JsonNode payload, int maxAttempts, Instant createdAt) {
        this(id, type, payload, maxAttempts, createdAt, null, null, null);
    }
}
