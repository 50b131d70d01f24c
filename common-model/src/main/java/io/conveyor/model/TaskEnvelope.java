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
 */
public record TaskEnvelope(String id, String type, JsonNode payload, int maxAttempts, Instant createdAt) {}
